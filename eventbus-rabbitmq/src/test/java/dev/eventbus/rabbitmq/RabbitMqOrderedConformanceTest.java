package dev.eventbus.rabbitmq;

/**
 * Runs the conformance suite ordered per key (single active consumer, each key in order),
 * so every case runs.
 */
class RabbitMqOrderedConformanceTest extends AbstractRabbitMqConformanceTest {

	@Override
	protected RabbitMqAdapterSettings settings() {
		return RabbitMqAdapterSettings.DEFAULTS.withOrderedPerKey(true);
	}

}
