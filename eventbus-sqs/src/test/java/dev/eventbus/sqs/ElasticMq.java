package dev.eventbus.sqs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.elasticmq.NodeAddress;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder$;
import org.elasticmq.util.NowProvider;
import org.jspecify.annotations.Nullable;
import scala.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * ElasticMQ started in the test JVM on a free port, with one SQS client for it. The
 * queues live in a queue manager that outlives the REST server, so {@link #restart()}
 * stops and starts the server on the same port while queues and messages stay: clients
 * see the endpoint refuse connections and come back, as they see an SQS outage. Not
 * thread safe; one per test class.
 * <p>
 * Public, and shipped in this module's test jar, so that other modules' tests (the sample
 * application's) start their ElasticMQ the same way.
 */
public final class ElasticMq implements AutoCloseable {

	private final ActorSystem actorSystem = ActorSystem.create("elasticmq-test");

	private final ActorRef queueManager = this.actorSystem
		.actorOf(Props.create(QueueManagerActor.class, new NowProvider(), StrictSQSLimits$.MODULE$, Option.empty()));

	private final int port = freePort();

	private @Nullable SQSRestServer server;

	private final SqsAsyncClient client;

	/**
	 * Start ElasticMQ on a free port, returning once it accepts requests.
	 */
	public ElasticMq() {
		start();
		this.client = SqsAsyncClient.builder()
			.endpointOverride(URI.create(endpoint()))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.overrideConfiguration((config) -> config.apiCallAttemptTimeout(Duration.ofSeconds(25)))
			.build();
	}

	/**
	 * The SQS endpoint of the server.
	 * @return {@code http://localhost:<port>}
	 */
	public String endpoint() {
		return "http://localhost:" + this.port;
	}

	SqsAsyncClient client() {
		return this.client;
	}

	/**
	 * Stop the REST server and start it again on the same port, returning once it accepts
	 * requests.
	 */
	void restart() {
		stop();
		start();
	}

	private void start() {
		SQSRestServer started = SQSRestServerBuilder$.MODULE$.withActorSystem(this.actorSystem)
			.withQueueManagerActor(this.queueManager)
			.withInterface("localhost")
			.withPort(this.port)
			.withServerAddress(new NodeAddress("http", "localhost", this.port, ""))
			.start();
		started.waitUntilStarted();
		this.server = started;
	}

	private void stop() {
		SQSRestServer running = this.server;
		if (running != null) {
			running.stopAndWait();
			this.server = null;
		}
	}

	@Override
	public void close() {
		this.client.close();
		stop();
		this.actorSystem.terminate();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
