// The live page: places orders as the signed-in customer, follows them from the real-time
// bridge's server-sent events (no reload, no polling), and lists dead letters, which the
// operator may replay. Plain browser JavaScript: no build step, nothing loaded from elsewhere.
'use strict';

/** Event types of an order's flow, in order: one step of the timeline each. */
const STEPS = ['order.placed', 'inventory.reserved', 'payment.completed', 'order.shipped'];

/** Status of an order that reached step n (1 to 4), as GET /orders/{id} names it. */
const STATUSES = ['PLACED', 'STOCK_RESERVED', 'PAID', 'SHIPPED'];

/** Destinations whose dead letters the panel lists (GET /actuator/eventbus/{destination}). */
const DESTINATIONS = ['events', 'payments'];

const orders = new Map();
const deadLetters = new Map();
let me;

const byTestId = (id, root = document) => root.querySelector(`[data-testid="${id}"]`);

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`GET ${path} answered ${response.status}`);
  }
  return response.json();
}

async function start() {
  me = await getJson('/me');
  byTestId('user').textContent = me.name;
  const customer = me.roles.includes('CUSTOMER');
  byTestId('order-panel').hidden = !customer;
  byTestId('orders-panel').hidden = !customer;
  byTestId('order-form').addEventListener('submit', placeOrder);
  byTestId('dead-letters-note').textContent = isOperator()
    ? 'Every dead letter. Replay first accepts the customer\'s card again, then replays the event.'
    : 'Events of your orders that failed for good. Only the operator may replay them.';
  // listen before reading the orders, so that no step falls between both
  listen();
  const mine = await getJson('/me/orders');
  for (const order of mine.reverse()) {
    showOrder(order.id, order.amount, STATUSES.indexOf(order.status) + 1);
  }
  await refreshDeadLetters();
  setInterval(refreshDeadLetters, 1500);
}

function isOperator() {
  return me.roles.includes('OPERATOR');
}

/** The signed-in user's pushes: each is a structured CloudEvent, named by its type. */
function listen() {
  const status = byTestId('live-status');
  const source = new EventSource('/eventbus/sse');
  source.addEventListener('open', () => setState(status, 'live'));
  source.addEventListener('error', () => setState(status, 'reconnecting'));
  for (const type of STEPS) {
    source.addEventListener(type, (message) => {
      const event = JSON.parse(message.data);
      showOrder(event.subject, event.data && event.data.amount, STEPS.indexOf(event.type) + 1);
    });
  }
}

function setState(element, state) {
  element.dataset.state = state;
  element.textContent = state;
}

async function placeOrder(submit) {
  submit.preventDefault();
  const form = submit.target;
  const error = byTestId('order-error');
  error.hidden = true;
  const body = {
    customerId: me.name,
    amount: form.amount.value,
    items: [{ sku: form.sku.value, quantity: Number(form.quantity.value) }],
  };
  const response = await fetch('/orders', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Channel': 'live-page' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    error.textContent = `The order was not placed (${response.status}).`;
    error.hidden = false;
    return;
  }
  const accepted = await response.json();
  showOrder(accepted.orderId, body.amount, 1);
}

/** Show an order at a step, or move it forward; a step at or behind the shown one changes nothing. */
function showOrder(id, amount, reached) {
  let order = orders.get(id);
  if (!order) {
    const element = document.getElementById('order-template').content.firstElementChild.cloneNode(true);
    element.dataset.orderId = id;
    byTestId('order-id', element).textContent = id;
    byTestId('orders').prepend(element);
    byTestId('no-orders').hidden = true;
    order = { element, reached: 0 };
    orders.set(id, order);
  }
  if (amount != null) {
    byTestId('order-total', order.element).textContent = Number(amount).toFixed(2);
  }
  if (reached > order.reached) {
    order.reached = reached;
    order.element.dataset.status = STATUSES[reached - 1];
    const status = byTestId('order-status', order.element);
    status.textContent = STATUSES[reached - 1];
    status.dataset.status = STATUSES[reached - 1];
    order.element.querySelectorAll('.timeline li').forEach((step, index) => {
      step.classList.toggle('done', index < reached);
    });
  }
}

/** Dead letters are not pushed: the panel reads the actuator again every 1.5 s. */
async function refreshDeadLetters() {
  const seen = new Set();
  for (const destination of DESTINATIONS) {
    let listed;
    try {
      listed = await getJson(`/actuator/eventbus/${encodeURIComponent(destination)}`);
    }
    catch (ex) {
      continue;
    }
    for (const letter of listed.deadLetters) {
      if (isOperator() || orders.has(letter.subject)) {
        seen.add(letter.id);
        if (!deadLetters.has(letter.id)) {
          deadLetters.set(letter.id, showDeadLetter(letter, destination));
        }
      }
    }
  }
  for (const [id, element] of deadLetters) {
    if (!seen.has(id)) {
      element.remove();
      deadLetters.delete(id);
    }
  }
  byTestId('no-dead-letters').hidden = deadLetters.size > 0;
}

function showDeadLetter(letter, destination) {
  const element = document.getElementById('dead-letter-template').content.firstElementChild.cloneNode(true);
  element.dataset.id = letter.id;
  element.dataset.subject = letter.subject || '';
  byTestId('dead-letter-subject', element).textContent = letter.subject || '(no subject)';
  byTestId('dead-letter-type', element).textContent = letter.type || '(undecodable)';
  byTestId('dead-letter-handler', element).textContent = letter.handler || 'a handler';
  byTestId('dead-letter-attempts', element).textContent = letter.attempts;
  byTestId('dead-letter-message', element).textContent = letter.message || letter.exception || '';
  const replay = byTestId('replay', element);
  if (isOperator()) {
    replay.hidden = false;
    replay.addEventListener('click', () => replayDeadLetter(letter, destination, replay));
  }
  byTestId('dead-letters').append(element);
  byTestId('no-dead-letters').hidden = true;
  return element;
}

/** Accept the order's customer again (the cause of the failure), then replay the dead letter. */
async function replayDeadLetter(letter, destination, button) {
  const error = byTestId('replay-error');
  error.hidden = true;
  button.disabled = true;
  try {
    if (letter.subject) {
      const order = await fetch(`/orders/${encodeURIComponent(letter.subject)}`);
      if (order.ok) {
        const customerId = (await order.json()).customerId;
        const accepted = await fetch(`/payments/declined-customers/${encodeURIComponent(customerId)}`,
          { method: 'DELETE' });
        if (!accepted.ok && accepted.status !== 404) {
          throw new Error(`accepting ${customerId} again answered ${accepted.status}`);
        }
      }
    }
    const replayed = await fetch(`/actuator/eventbus/${encodeURIComponent(destination)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: letter.id }),
    });
    if (!replayed.ok) {
      throw new Error(`the replay answered ${replayed.status}`);
    }
    button.textContent = 'Replayed';
    await refreshDeadLetters();
  }
  catch (ex) {
    error.textContent = `Not replayed: ${ex.message}.`;
    error.hidden = false;
    button.disabled = false;
  }
}

start().catch((ex) => {
  setState(byTestId('live-status'), 'failed');
  document.body.insertAdjacentHTML('beforeend', '<p class="error" data-testid="page-error"></p>');
  byTestId('page-error').textContent = ex.message;
});
