package dev.eventbus.sqs;

/**
 * Runs the conformance suite on FIFO queues, ordered per subject (the message group), so
 * every case runs.
 */
class SqsFifoConformanceTest extends AbstractSqsConformanceTest {

	@Override
	protected SqsAdapterSettings settings() {
		return SqsTestSettings.fifo();
	}

}
