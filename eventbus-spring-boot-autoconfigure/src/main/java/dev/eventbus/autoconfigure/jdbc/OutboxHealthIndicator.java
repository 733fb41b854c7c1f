package dev.eventbus.autoconfigure.jdbc;

import java.time.Duration;
import java.time.Instant;

import dev.eventbus.jdbc.JdbcOutbox.OutboxFigures;
import dev.eventbus.jdbc.OutboxRelay;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the outbox, from the relay's last look: {@code pending} rows, {@code failed}
 * rows waiting as dead letters, and the age of the oldest pending row. DOWN when that age
 * passes {@code eventbus.outbox.max-pending-age}: events committed that long ago have not
 * reached the broker.
 */
final class OutboxHealthIndicator extends AbstractHealthIndicator {

	private final OutboxRelay relay;

	private final Duration maxPendingAge;

	OutboxHealthIndicator(OutboxRelay relay, Duration maxPendingAge) {
		super("Outbox health check failed");
		this.relay = relay;
		this.maxPendingAge = maxPendingAge;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		OutboxFigures figures = this.relay.figures();
		Duration age = (figures.oldestPending() != null) ? Duration.between(figures.oldestPending(), Instant.now())
				: Duration.ZERO;
		builder.withDetail("pending", figures.pending())
			.withDetail("failed", figures.failed())
			.withDetail("oldestPendingAge", age.toString())
			.withDetail("maxPendingAge", this.maxPendingAge.toString());
		if (age.compareTo(this.maxPendingAge) > 0) {
			builder.down()
				.withDetail("reason", "the oldest pending event was recorded " + age + " ago and has not reached the "
						+ "broker: see the relay's log");
		}
		else {
			builder.up();
		}
	}

}
