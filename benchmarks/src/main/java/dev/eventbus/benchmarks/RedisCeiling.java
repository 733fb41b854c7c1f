package dev.eventbus.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code redis-benchmark} as the XADD ceiling: {@code -n 100000 -P 16} XADDs of one
 * {@value Payloads#SIZE}-byte field, run as a child process against the benchmark's
 * server.
 */
final class RedisCeiling {

	private static final Pattern RATE = Pattern.compile("([0-9.]+) requests per second");

	private final int port;

	RedisCeiling(int port) {
		this.port = port;
	}

	List<String> command() {
		return List.of(System.getProperty("bench.redisBenchmark", "redis-benchmark"), "-p", String.valueOf(this.port),
				"-n", "100000", "-P", "16", "-q", "XADD", "bench-ceiling", "*", "event", Payloads.rawText(0, 0));
	}

	double measure() {
		try {
			Process process = new ProcessBuilder(command()).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			double rate = -1;
			Matcher matcher = RATE.matcher(output);
			while (matcher.find()) {
				rate = Double.parseDouble(matcher.group(1));
			}
			return rate;
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

}
