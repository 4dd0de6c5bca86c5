import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followLinkPage } from '../support/linkPage.js';

/** `npm run sandbox` as a person uses it: typed commands on stdin, the console on stdout. */
class Console {
  output = '';
  private waiters: Array<() => void> = [];
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk) => {
      this.output += String(chunk);
      for (const wake of this.waiters.splice(0)) wake();
    });
    child.stderr.on('data', (chunk) => (this.output += String(chunk)));
  }
  /** Resolves with the output from `from` on once it matches `pattern` (the test's timeout bounds the wait). */
  async waitFor(pattern: RegExp, from = 0): Promise<string> {
    while (!pattern.test(this.output.slice(from))) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.output.slice(from);
  }
  type(line: string): number {
    const mark = this.output.length;
    this.child.stdin.write(`${line}\n`);
    return mark;
  }
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'encore-sandbox-'));
let sandbox: Console | undefined;
afterAll(async () => {
  if (sandbox && sandbox.child.exitCode === null) {
    sandbox.type('quit');
    await new Promise((resolve) => sandbox!.child.once('exit', resolve));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run sandbox (interactive)', () => {
  it('says first how to reach the consent page, keeps logs out of the console, and shows the "Linked as" DM with working buttons after consent', async () => {
    sandbox = new Console(
      spawn(process.execPath, ['--import', 'tsx', 'scripts/sandbox.ts', `--data=${dataDir}`], { stdio: 'pipe' }),
    );
    const welcome = await sandbox.waitFor(/encore> /);
    expect(welcome.split('\n').find((line) => line.trim())).toMatch(
      /^To link a member, type "alice \/link" and open the link .* in your browser: it leads to the \(emulated\) Spotify consent page/,
    );
    const logFile = /Bot logs \(JSON\):\s+(\S+)/.exec(welcome)?.[1];
    expect(logFile).toBe(path.join(dataDir, 'encore.log'));

    const linkReply = await sandbox.waitFor(
      /\[Link Spotify\]\((http:\/\/127\.0\.0\.1:\d+\/link\/[\w-]+)\)[\s\S]*encore> /,
      sandbox.type('alice /link'),
    );
    const url = /\[Link Spotify\]\((http:\/\/127\.0\.0\.1:\d+\/link\/[\w-]+)\)/.exec(linkReply)![1]!;

    // The browser's part: the link page's Continue, then Approve on the emulated Spotify consent page.
    const mark = sandbox.output.length;
    const { authorizeUrl } = await followLinkPage(url);
    const authorize = new URL(authorizeUrl!);
    const consent = await fetch(new URL('/authorize/decision', authorize), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), user: 'alice', decision: 'approve' }),
      redirect: 'manual',
    });
    const callback = consent.headers.get('location');
    expect(callback).toMatch(/\/callback\?/);
    expect(await (await fetch(callback!)).text()).toContain('Linked as Alice Liddell');

    const dm = await sandbox.waitFor(/buttons: 1\) Show me in this server/, mark);
    expect(dm).toContain('📬 DM to alice:');
    expect(dm).toContain('**Linked as Alice Liddell**');

    const clicked = await sandbox.waitFor(/✅ you appear[\s\S]*encore> /, sandbox.type('alice click 1'));
    expect(clicked).toContain('📬 DM to alice (updated):');

    // Time moves on demand: alice listens through the fast-forwarded hours and Encore collects it.
    const advanced = await sandbox.waitFor(
      /Now .*: \d+ polls, \d+ plays stored[\s\S]*encore> /,
      sandbox.type('advance 6h'),
    );
    const [, polls, stored] = /: (\d+) polls, (\d+) plays stored/.exec(advanced)!;
    // At least one poll per idle interval (2 h): how many more depends on how much she listened.
    expect(Number(polls)).toBeGreaterThanOrEqual(3);
    expect(Number(stored)).toBeGreaterThan(0);
    expect(await sandbox.waitFor(/Try: advance 7d[\s\S]*encore> /, sandbox.type('advance soon'))).toBeTruthy();

    // ListenBrainz: the welcome lists the seeded users' tokens; the member pastes one into the form.
    const token = /ListenBrainz:.*\blena ([0-9a-f-]{36})/.exec(welcome)?.[1];
    expect(token).toBeDefined();
    const prompt = await sandbox.waitFor(
      /buttons: 1\) Enter my token[\s\S]*encore> /,
      sandbox.type('bob /link source:listenbrainz'),
    );
    expect(prompt).toContain('**Connect ListenBrainz**');
    const form = await sandbox.waitFor(/type "bob submit token=…"[\s\S]*encore> /, sandbox.type('bob click 1'));
    expect(form).toContain('📝 bob sees a form, "Connect ListenBrainz"');
    expect(
      await sandbox.waitFor(/Connected ListenBrainz as lena[\s\S]*encore> /, sandbox.type(`bob submit token=${token}`)),
    ).toBeTruthy();
    // Last.fm: the approval link, then "approve lastfm <user>" plays the browser's part.
    const lastfm = await sandbox.waitFor(
      /\[Open Last\.fm\]\(http[^)]*\)[\s\S]*encore> /,
      sandbox.type('carol /link source:lastfm'),
    );
    expect(lastfm).toContain('**Connect Last.fm**');
    const approved = await sandbox.waitFor(/The browser shows: .*[\s\S]*encore> /, sandbox.type('approve lastfm gwen'));
    expect(approved).toContain('The browser shows: Connected Last.fm as gwen');
    expect(approved).toContain('📬 DM to carol:');

    expect(sandbox.output).not.toMatch(/"level":\d+/);
    expect(readFileSync(logFile!, 'utf8')).toMatch(/"msg":"http listening"/);
  }, 90_000);
});
