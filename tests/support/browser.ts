import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './server.ts';

/**
 * Real-browser tests drive Debian's Chromium through playwright-core. Browsers are never
 * downloaded: CI installs the `chromium` package (`apt-get install -y chromium`).
 */
export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots land here; the folder is git-ignored and kept by CI as test artifacts. */
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web-browser');

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium. playwright-core gives every launch a fresh temporary user-data
 * directory of its own (and removes it on close), so no profile state leaks between runs.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}. The browser tests use the system Chromium and never download one: ` +
        'install it with `apt-get update && apt-get install -y chromium`.',
    );
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
}

/** A browser context as one person at one desk: their own cookies, a language, a colour scheme. */
export async function newDesk(
  browser: Browser,
  opts: { locale?: string; colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'en-GB',
    colorScheme: opts.colorScheme ?? 'light',
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  // A script error on the page is a test failure, not something to find later in a screenshot.
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  // So is anything the Content Security Policy blocks: it would work in a test with it off and fail for users.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) errors.push(msg.text());
  });
  (page as Page & { scriptErrors?: string[] }).scriptErrors = errors;
  return { context, page };
}

/** Script errors and CSP refusals on the page since it was opened. */
export const scriptErrors = (page: Page): string[] => (page as Page & { scriptErrors?: string[] }).scriptErrors ?? [];

/** Saves a screenshot of the page, or of one element of it, as `<name>.png` under test-artifacts/. */
export async function snap(page: Page, name: string, element?: ReturnType<Page['locator']>): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  if (element) {
    // The sticky message dock would cover part of a tall element while it is captured. Hidden
    // through the CSSOM: the page's CSP refuses the stylesheet screenshot({ style }) would add.
    const dock = (hide: boolean) =>
      page.evaluate((h) => document.querySelectorAll<HTMLElement>('.dock').forEach((d) => (d.style.visibility = h ? 'hidden' : '')), hide);
    await dock(true);
    await element.screenshot({ path: file, animations: 'disabled' });
    await dock(false);
  } else await page.screenshot({ path: file, fullPage: false, animations: 'disabled' });
  return file;
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe-core in the page and returns its serious and critical findings (WCAG 2.x A and AA, best practices). */
export async function seriousA11yProblems(page: Page): Promise<AxeFinding[]> {
  // The page's CSP (script-src 'self') refuses an injected <script> tag (addScriptTag), so the
  // source is evaluated through the DevTools protocol, which CSP does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id as string,
      impact: String(v.impact),
      help: v.help as string,
      targets: (v.nodes as { target: string[]; failureSummary?: string }[]).slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable list of findings for an assertion message. */
export const describeFindings = (where: string, findings: AxeFinding[]) =>
  findings.map((f) => `${where}: [${f.impact}] ${f.id}: ${f.help}\n    ${f.targets.join('\n    ')}`).join('\n');

/** One person's chat page, with the waits a test needs: a reply to what they did, a notification. */
export class ChatDesk {
  constructor(readonly page: Page, readonly baseUrl: string) {}

  /** The bot's answers to this person's own turns (not the live notifications). */
  replies() {
    return this.page.locator('#log > .msg.bot:not(.pending):not(.notification)');
  }

  notifications() {
    return this.page.locator('#log > .msg.notification');
  }

  /** Does something and returns the reply it brings. */
  async reply(doIt: () => Promise<unknown>) {
    const before = await this.replies().count();
    await doIt();
    const reply = this.replies().nth(before);
    await reply.waitFor();
    return reply;
  }

  async open(): Promise<void> {
    await this.page.goto(this.baseUrl);
    await this.page.locator('#signin-user option').first().waitFor({ state: 'attached' });
  }

  /** Picks a user on the local sign-in screen and waits for the welcome and the live connection. */
  async signIn(login: string): Promise<void> {
    await this.page.selectOption('#signin-user', login);
    await this.page.click('#signin-submit');
    await this.replies().first().waitFor();
    await this.page.locator('#live[data-state="live"]').waitFor();
  }

  /** Types into the message box and presses Enter, as a person would. */
  async say(text: string) {
    return this.reply(async () => {
      await this.page.focus('#message');
      await this.page.keyboard.type(text);
      await this.page.keyboard.press('Enter');
    });
  }

  /** Whether the element has the keyboard focus. */
  isFocused(locator: ReturnType<Page['locator']>): Promise<boolean> {
    return locator.evaluate((el) => el === document.activeElement);
  }
}
