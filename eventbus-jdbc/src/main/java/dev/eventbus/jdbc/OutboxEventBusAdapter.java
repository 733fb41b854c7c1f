package dev.eventbus.jdbc;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.ForwardingEventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;

import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The adapter of a bus with an outbox: an event published while a Spring transaction is
 * active is recorded in the outbox on that transaction's connection, instead of being
 * sent, and the {@link OutboxRelay} is woken once the transaction commits; a rollback
 * leaves nothing to send. Everything else goes to the adapter it wraps: events published
 * outside a transaction (sent at once, as without an outbox), raw messages (dead letters
 * and replays), subscriptions and health. Its dead-letter store also lists the rows the
 * relay gave up on, under the dead-letter destination of their destination. Thread safe.
 */
public final class OutboxEventBusAdapter extends ForwardingEventBusAdapter {

	/** The position a publish recorded in the outbox completes with. */
	public static final SendResult RECORDED = new SendResult("outbox");

	private static final Object WAKE_UP_REGISTERED = new Object();

	private final JdbcOutbox outbox;

	private final OutboxRelay relay;

	private final String deadLetterSuffix;

	/**
	 * Wrap an adapter.
	 * @param delegate the adapter that sends
	 * @param outbox the outbox, on the database of the publishers' transactions
	 * @param relay the relay to wake after a commit
	 * @param deadLetterSuffix the suffix of dead-letter destinations
	 */
	public OutboxEventBusAdapter(EventBusAdapter delegate, JdbcOutbox outbox, OutboxRelay relay,
			String deadLetterSuffix) {
		super(delegate);
		this.outbox = outbox;
		this.relay = relay;
		this.deadLetterSuffix = deadLetterSuffix;
	}

	/**
	 * Record an event published in a transaction, or send the message through the wrapped
	 * adapter.
	 * @param message the message
	 * @return a completed future once the row is written ({@link #RECORDED}), or the
	 * wrapped adapter's
	 */
	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		if (message.event() == null || !TransactionSynchronizationManager.isActualTransactionActive()) {
			return delegate().send(message);
		}
		try {
			this.outbox.add(message, Instant.now());
		}
		catch (DataAccessException ex) {
			return CompletableFuture.failedFuture(new PublishException("Could not record event '" + message.id()
					+ "' for '" + message.destination() + "' in the outbox: " + ex.getMessage(), ex));
		}
		wakeRelayAfterCommit();
		return CompletableFuture.completedFuture(RECORDED);
	}

	private void wakeRelayAfterCommit() {
		if (TransactionSynchronizationManager.isSynchronizationActive()
				&& !TransactionSynchronizationManager.hasResource(this)) {
			TransactionSynchronizationManager.bindResource(this, WAKE_UP_REGISTERED);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(OutboxEventBusAdapter.this);
					if (status == STATUS_COMMITTED) {
						OutboxEventBusAdapter.this.relay.wake();
					}
				}

			});
		}
	}

	@Override
	public Optional<DeadLetterStore> deadLetterStore() {
		return Optional.of(new OutboxDeadLetterStore(delegate().deadLetterStore().orElse(null), this.outbox,
				this.deadLetterSuffix));
	}

}
