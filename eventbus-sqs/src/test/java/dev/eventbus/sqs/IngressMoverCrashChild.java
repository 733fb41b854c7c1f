package dev.eventbus.sqs;

import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * A JVM of its own that moves what arrives on a destination's ingress queue and stops
 * dead after the copies were accepted, before the delete: it prints
 * {@value #COPIED}{@code <message id>} for each copied message and then blocks its mover
 * thread, waiting to be killed. Arguments: the ElasticMQ endpoint, the destination and
 * {@code true} for FIFO queues.
 */
public final class IngressMoverCrashChild {

	static final String COPIED = "COPIED ";

	private IngressMoverCrashChild() {
	}

	public static void main(String[] args) throws InterruptedException {
		SqsAsyncClient client = SqsAsyncClient.builder()
			.endpointOverride(URI.create(args[0]))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.build();
		SqsAdapterSettings settings = Boolean.parseBoolean(args[2]) ? SqsTestSettings.fifo()
				: SqsTestSettings.standard();
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		SqsQueues queues = new SqsQueues(client, settings,
				new SqsQueueNames(settings.fifo(), settings.deadLetterSuffix()));
		SqsBatchedRequests requests = new SqsBatchedRequests(client, settings.sendLinger(), scheduler);
		CountDownLatch killed = new CountDownLatch(1);
		new SqsIngressMover(args[1], client, queues, requests, settings, (copied) -> {
			copied.forEach((message) -> System.out.println(COPIED + message.messageId()));
			System.out.flush();
			try {
				killed.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}).start();
		killed.await();
	}

}
