package dev.eventbus.sample;

/**
 * The order flow on the in-memory adapter, the sample's default: nothing to start.
 */
class OrderFlowIntegrationTests extends AbstractOrderFlowIntegrationTests {

	OrderFlowIntegrationTests() {
		super("memory");
	}

}
