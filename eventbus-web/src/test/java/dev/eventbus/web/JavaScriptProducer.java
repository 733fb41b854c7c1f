package dev.eventbus.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CloudEvents JavaScript SDK (npm {@code cloudevents}) as a producer outside the bus:
 * runs {@code src/test/node/send.mjs} with Node.js, installing its packages with
 * {@code npm ci} first when they are missing.
 */
public final class JavaScriptProducer {

	private static final Path SCRIPTS = Path.of("src", "test", "node");

	private JavaScriptProducer() {
	}

	/**
	 * Post the script's events.
	 * @param url the ingestion endpoint
	 * @param user the caller
	 * @return what the script printed: one line per event, its mode, status and answer
	 */
	static String send(String url, String user) {
		install();
		return run(List.of("node", "send.mjs", url, user, IngestionTestApplication.PASSWORD));
	}

	/**
	 * Install the scripts' packages with {@code npm ci} unless they are.
	 */
	public static void install() {
		if (!Files.isDirectory(SCRIPTS.resolve("node_modules"))) {
			run(List.of("npm", "ci", "--no-audit", "--no-fund"));
		}
	}

	private static String run(List<String> command) {
		List<String> arguments = new ArrayList<>(command);
		try {
			Process process = new ProcessBuilder(arguments).directory(SCRIPTS.toFile())
				.redirectErrorStream(true)
				.start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("'" + String.join(" ", command) + "' did not finish in 120 s");
			}
			String text = new String(output, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(
						"'" + String.join(" ", command) + "' exited with " + process.exitValue() + ":\n" + text);
			}
			return text;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run '" + command.get(0) + "': install Node.js 20 or later "
					+ "with npm (Debian: apt-get install nodejs npm)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
