import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSupportedFile, type ExtractOptions } from '../core/extract';

/** Folders no one means when they scan a project for prompts. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__', '.cache', '.next']);

export interface FileWalk {
  files: string[];
  /** Paths given on the command line that do not exist or cannot be read. */
  missing: string[];
}

/** Expands the paths given to `scan` into the files the extractors understand, in a stable order. */
export function collectFiles(paths: string[], options: ExtractOptions): FileWalk {
  const files: string[] = [];
  const missing: string[] = [];
  const visit = (target: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(target);
    } catch {
      if (explicit) missing.push(target);
      return;
    }
    if (stat.isDirectory()) {
      if (!explicit && SKIPPED_DIRECTORIES.has(path.basename(target))) return;
      let entries: string[];
      try {
        entries = fs.readdirSync(target).sort();
      } catch {
        missing.push(target);
        return;
      }
      for (const entry of entries) {
        const child = path.join(target, entry);
        // Symbolic links to folders are not followed: they can loop and usually point outside the project.
        // An entry deleted between readdir and lstat is simply gone; it is not an error to report.
        if (fs.lstatSync(child, { throwIfNoEntry: false })?.isSymbolicLink() && fs.statSync(child, { throwIfNoEntry: false })?.isDirectory()) continue;
        visit(child, false);
      }
    } else if (stat.isFile() && (explicit || isSupportedFile(target, options))) {
      files.push(target);
    }
  };
  for (const target of paths) visit(target, true);
  return { files, missing };
}
