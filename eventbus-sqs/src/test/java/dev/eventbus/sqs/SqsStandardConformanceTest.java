package dev.eventbus.sqs;

/**
 * Runs the conformance suite on standard queues. Standard queues do not order, so case 8
 * is skipped; every other case runs.
 */
class SqsStandardConformanceTest extends AbstractSqsConformanceTest {

	@Override
	protected SqsAdapterSettings settings() {
		return SqsTestSettings.standard();
	}

}
