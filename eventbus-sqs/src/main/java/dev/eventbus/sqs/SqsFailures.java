package dev.eventbus.sqs;

import java.util.Set;
import java.util.concurrent.CompletionException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * What an SQS call's failure means: the cause inside the {@link CompletionException}s of
 * the asynchronous client, and whether it says the queue does not exist.
 */
final class SqsFailures {

	/**
	 * Error codes of a missing queue, as a batch entry or a protocol without modeled
	 * errors reports it.
	 */
	private static final Set<String> MISSING_QUEUE_CODES = Set.of("AWS.SimpleQueueService.NonExistentQueue",
			"QueueDoesNotExist");

	private SqsFailures() {
	}

	/**
	 * Whether a call failed because its queue does not exist.
	 * @param ex the failure, possibly wrapped in {@link CompletionException}s
	 * @return whether SQS reported the queue missing
	 */
	static boolean isMissing(Throwable ex) {
		Throwable cause = unwrap(ex);
		return cause instanceof QueueDoesNotExistException
				|| (cause instanceof AwsServiceException service && service.awsErrorDetails() != null
						&& MISSING_QUEUE_CODES.contains(service.awsErrorDetails().errorCode()));
	}

	/**
	 * The cause of a failure inside its {@link CompletionException}s.
	 * @param ex the failure
	 * @return the first cause that is not a {@link CompletionException}
	 */
	static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while (current instanceof CompletionException && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

}
