// Drafts release notes with Anthropic's SDK and the Vercel AI SDK.
import Anthropic from '@anthropic-ai/sdk';
import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';

const anthropic = new Anthropic();

interface Release {
  version: string;
  commits: string[];
}

export async function draftNotes(release: Release, user: { name: string }) {
  const message = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: `You write release notes for developers. Group changes into Features, Fixes and Breaking changes.
Keep each bullet under 20 words and link issue numbers like #123. Requested by ${user.name}.`,
    messages: [{ role: 'user', content: `Release ${release.version}:\n${release.commits.join('\n')}` }],
  });
  console.log('drafted notes for', release.version);
  return message.content;
}

export async function tweet(notes: string) {
  const { text } = await generateText({
    model: openai('gpt-4o-mini'),
    system: 'You turn release notes into one friendly announcement of at most 280 characters.',
    prompt: `Announce these notes:\n\n${notes}`,
  });
  return text;
}
