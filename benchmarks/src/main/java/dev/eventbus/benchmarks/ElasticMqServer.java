package dev.eventbus.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;

import org.elasticmq.NodeAddress;
import org.jspecify.annotations.Nullable;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder$;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * ElasticMQ in this JVM on a free port, and SQS clients for it that count their requests.
 */
final class ElasticMqServer implements AutoCloseable {

	private final int port;

	private final SQSRestServer server;

	ElasticMqServer() {
		this.port = freePort();
		this.server = SQSRestServerBuilder$.MODULE$.withInterface("127.0.0.1")
			.withPort(this.port)
			.withServerAddress(new NodeAddress("http", "127.0.0.1", this.port, ""))
			.start();
		this.server.waitUntilStarted();
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * A new client (default Netty async HTTP client) counting its requests.
	 * @param counter counts the requests
	 * @return the client; the caller closes it
	 */
	SqsAsyncClient client(RequestCounter counter) {
		return client(counter, null);
	}

	/**
	 * Whether the clients check the MD5 digests of message bodies, as the SDK does by
	 * default; {@code -Dbench.md5=false} turns the checks off for every client alike (a
	 * diagnostic).
	 * @return whether they do
	 */
	static boolean md5Checks() {
		return Boolean.parseBoolean(System.getProperty("bench.md5", "true"));
	}

	/**
	 * A new client (default Netty async HTTP client) counting its requests and publishing
	 * the SDK's metrics of its calls; MD5 checks as {@link #md5Checks()}.
	 * @param counter counts the requests
	 * @param metrics receives the SDK's metrics, or {@code null}
	 * @return the client; the caller closes it
	 */
	SqsAsyncClient client(RequestCounter counter, @Nullable SdkCallMetrics metrics) {
		return SqsAsyncClient.builder()
			.endpointOverride(URI.create(endpoint()))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.checksumValidationEnabled(md5Checks())
			.overrideConfiguration((config) -> {
				config.addExecutionInterceptor(counter);
				if (metrics != null) {
					config.addMetricPublisher(metrics);
				}
			})
			.build();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.server.stopAndWait();
	}

}
