/**
 * The one definition of the messages between the extension host and the visualizer webview: the envelope
 * (the protocol version, the app-wide messages, the two unions) and each tab's messages, views and limits.
 */
export * from './envelope';
export * from './tokens';
export * from './cache';
export * from './model';
