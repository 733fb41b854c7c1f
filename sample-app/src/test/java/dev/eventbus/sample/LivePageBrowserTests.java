package dev.eventbus.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live page ({@code static/index.html}) in a real headless Chromium, driven by
 * {@code src/test/browser/live-page.mjs} with Playwright: a customer's order reaches
 * {@code SHIPPED} on the page without a reload, another customer never sees it, and a
 * declined payment lands in the dead-letter panel and ships once the operator replays it
 * from the page. Needs Debian's {@code chromium} and Node.js with npm; installs the
 * script's packages with {@code npm ci} when they are missing. The screenshots go to
 * {@code target/browser}, and to {@code docs/images} when missing there or with
 * {@code -Dsample.screenshots.update=true}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.payment.failure-rate=0")
class LivePageBrowserTests {

	private static final Path SCRIPTS = Path.of("src", "test", "browser");

	private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

	private static final Path SCREENSHOTS = Path.of("target", "browser");

	private static final Path DOCS_IMAGES = Path.of("..", "docs", "images");

	private static final List<String> IMAGES = List.of("sample-live-page.png", "sample-dead-letters.png");

	private static final String INSTALL = "install Chromium and Node.js 20 or later with npm "
			+ "(Debian: apt-get install chromium nodejs npm)";

	@LocalServerPort
	private int port;

	@Test
	void ordersGoLiveToShippedForTheirCustomerOnlyAndDeadLettersAreReplayedFromThePage() throws IOException {
		assertThat(Files.isExecutable(CHROMIUM)).as("%s is missing: %s", CHROMIUM, INSTALL).isTrue();
		if (!Files.isDirectory(SCRIPTS.resolve("node_modules"))) {
			run(List.of("npm", "ci", "--no-audit", "--no-fund"));
		}
		String output = run(List.of("node", "live-page.mjs", "http://localhost:" + this.port,
				SCREENSHOTS.toAbsolutePath().toString()));
		System.out.print(output);
		assertThat(output).contains("ok: bob's page never shows alice's order", "left the dead letters of both pages");
		for (String image : IMAGES) {
			Path target = DOCS_IMAGES.resolve(image);
			if (!Files.exists(target) || Boolean.getBoolean("sample.screenshots.update")) {
				Files.createDirectories(DOCS_IMAGES);
				Files.copy(SCREENSHOTS.resolve(image), target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	private static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).directory(SCRIPTS.toFile()).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(180, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("'" + String.join(" ", command) + "' did not finish in 180 s");
			}
			String text = new String(output, StandardCharsets.UTF_8);
			assertThat(process.exitValue())
				.as("'%s' exited with %d:%n%s", String.join(" ", command), process.exitValue(), text)
				.isZero();
			return text;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run '" + command.get(0) + "': " + INSTALL, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
