package dev.eventbus.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Publish-to-handler throughput and latency of the in-memory bus, side by side with
 * Spring's {@code ApplicationEventPublisher}: a synchronous {@code @EventListener} and an
 * {@code @Async} listener on a thread pool. Every operation is one event published and
 * handled; the benchmark waits for the handler, so queued-but-unhandled events never
 * count. {@code eventbus} is the Spring Boot default: handler concurrency 1, metrics on,
 * recorded as Micrometer timers; {@code eventbus-concurrency-4} the same with four lanes;
 * {@code eventbus-observed} adds a Micrometer Observation per publish and handling (the
 * default when tracing is on); {@code eventbus-no-metrics} records nothing.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar InMemoryBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InMemoryBenchmark {

	static final int BATCH = 1_000;

	@Param({ "eventbus", "eventbus-concurrency-4", "eventbus-observed", "eventbus-no-metrics", "spring-sync",
			"spring-async" })
	public String target;

	private Setups.Target sink;

	@Setup(Level.Trial)
	public void setUp() {
		this.sink = Setups.create(this.target);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.sink.close();
	}

	/**
	 * Publish a batch and wait until every event of it was handled.
	 * @throws InterruptedException if interrupted
	 */
	@Benchmark
	@BenchmarkMode(Mode.Throughput)
	@OutputTimeUnit(TimeUnit.SECONDS)
	@OperationsPerInvocation(BATCH)
	public void throughput() throws InterruptedException {
		CountDownLatch handled = new CountDownLatch(BATCH);
		this.sink.expect(handled);
		for (int i = 0; i < BATCH; i++) {
			this.sink.publish(i);
		}
		if (!handled.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException(this.target + ": only " + (BATCH - handled.getCount()) + " handled");
		}
	}

	/**
	 * Publish one event and wait until it was handled.
	 * @throws InterruptedException if interrupted
	 */
	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	public void latency() throws InterruptedException {
		CountDownLatch handled = new CountDownLatch(1);
		this.sink.expect(handled);
		this.sink.publish(1);
		if (!handled.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException(this.target + ": event not handled");
		}
	}

}
