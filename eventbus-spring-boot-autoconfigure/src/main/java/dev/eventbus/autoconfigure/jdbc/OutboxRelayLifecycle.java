package dev.eventbus.autoconfigure.jdbc;

import dev.eventbus.jdbc.OutboxRelay;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the outbox relay while the application runs.
 */
final class OutboxRelayLifecycle implements SmartLifecycle {

	private final OutboxRelay relay;

	private volatile boolean running;

	OutboxRelayLifecycle(OutboxRelay relay) {
		this.relay = relay;
	}

	@Override
	public void start() {
		this.relay.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.relay.close();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
