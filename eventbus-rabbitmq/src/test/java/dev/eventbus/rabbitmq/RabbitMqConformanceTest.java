package dev.eventbus.rabbitmq;

/**
 * Runs the conformance suite on the adapter's defaults: competing consumers, not ordered
 * per key, so the ordering cases are skipped.
 */
class RabbitMqConformanceTest extends AbstractRabbitMqConformanceTest {

	@Override
	protected RabbitMqAdapterSettings settings() {
		return RabbitMqAdapterSettings.DEFAULTS;
	}

}
