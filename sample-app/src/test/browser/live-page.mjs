// Drives the sample's live page in Debian's headless Chromium, as four users at once:
//   node live-page.mjs <base url> <screenshot directory>
// Checks that (a) alice's order reaches SHIPPED on her page without a reload, its four steps
// done; (b) bob's page, open all along, never shows alice's order, and bob may not join its
// room; (c) a declined customer's order lands in the dead-letter panel and, once the operator
// replays it from the page, reaches SHIPPED. Prints one line per check; exits 1 on the first
// failure, naming it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, screenshots] = process.argv.slice(2);
const TIMEOUT = 30_000;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ARGS,
  timeout: TIMEOUT,
});

async function open(user) {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 960, height: 640 },
    httpCredentials: { username: user, password: user, send: 'always' },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (error) => console.log(`[${user}] page error: ${error.message}`));
  await page.goto('/');
  await page.getByTestId('live-status').and(page.locator('[data-state="live"]')).waitFor();
  await page.evaluate(() => { window.notReloaded = true; });
  return page;
}

async function placeOrder(page, amount) {
  await page.getByTestId('order-amount').fill(amount);
  const [response] = await Promise.all([
    page.waitForResponse((answer) => answer.url().endsWith('/orders') && answer.request().method() === 'POST'),
    page.getByTestId('place-order').click(),
  ]);
  if (response.status() !== 202) {
    throw new Error(`POST /orders answered ${response.status()}`);
  }
  return (await response.json()).orderId;
}

function order(page, orderId) {
  return page.locator(`[data-testid="order"][data-order-id="${orderId}"]`);
}

async function awaitShipped(page, orderId) {
  const shown = order(page, orderId);
  await shown.getByTestId('order-status').and(page.locator('[data-status="SHIPPED"]')).waitFor();
  const done = await shown.locator('[data-testid="timeline"] li.done').allTextContents();
  check(done.join(' → ') === 'placed → stock reserved → paid → shipped', `timeline of ${orderId} shows every step: ${done.join(' → ')}`);
  check(await page.evaluate(() => window.notReloaded === true), 'the page was not reloaded');
}

async function sseStatus(page, room) {
  return page.evaluate(async (path) => {
    const controller = new AbortController();
    const response = await fetch(path, { signal: controller.signal });
    controller.abort();
    return response.status;
  }, `/eventbus/sse?room=${encodeURIComponent(room)}`);
}

function check(condition, what) {
  if (!condition) {
    throw new Error(`failed: ${what}`);
  }
  console.log(`ok: ${what}`);
}

try {
  mkdirSync(screenshots, { recursive: true });
  const alice = await open('alice');
  const bob = await open('bob');

  // (a) alice's order goes live to SHIPPED
  const aliceOrder = await placeOrder(alice, '42.50');
  await awaitShipped(alice, aliceOrder);
  await alice.screenshot({ path: join(screenshots, 'sample-live-page.png') });

  // (b) bob sees none of it
  const bobOrder = await placeOrder(bob, '10.00');
  await awaitShipped(bob, bobOrder);
  check(await order(bob, aliceOrder).count() === 0 && !(await bob.content()).includes(aliceOrder),
    `bob's page never shows alice's order ${aliceOrder}`);
  check(await order(alice, bobOrder).count() === 0, `alice's page never shows bob's order ${bobOrder}`);
  check(await sseStatus(bob, `order:${aliceOrder}`) === 403, `bob may not join the room of alice's order`);
  check(await sseStatus(alice, `order:${aliceOrder}`) === 200, `alice may join the room of her order`);

  // (c) a declined payment is dead-lettered, then replayed by the operator from the page
  const declined = await open('declined');
  const declinedOrder = await placeOrder(declined, '13.00');
  const ownDeadLetter = declined.locator(`[data-testid="dead-letter"][data-subject="${declinedOrder}"]`);
  await ownDeadLetter.waitFor();
  check(await ownDeadLetter.getByTestId('replay').isHidden(), 'a customer sees their dead letter, without a replay');
  check(await order(declined, declinedOrder).getAttribute('data-status') === 'STOCK_RESERVED',
    `the declined order ${declinedOrder} stops at STOCK_RESERVED`);
  const operator = await open('operator');
  const deadLetter = operator.locator(`[data-testid="dead-letter"][data-subject="${declinedOrder}"]`);
  await deadLetter.getByTestId('replay').waitFor();
  await operator.screenshot({ path: join(screenshots, 'sample-dead-letters.png') });
  await deadLetter.getByTestId('replay').click();
  await awaitShipped(declined, declinedOrder);
  await ownDeadLetter.waitFor({ state: 'detached' });
  await deadLetter.waitFor({ state: 'detached' });
  check(true, `the replayed order ${declinedOrder} left the dead letters of both pages`);
}
catch (error) {
  console.log(error.stack || String(error));
  process.exitCode = 1;
}
finally {
  await browser.close();
}
