package dev.eventbus.spi;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import dev.eventbus.api.PublishException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventBusAdapterTests {

	private static final OutboundMessage MESSAGE = OutboundMessage.raw("orders", "o-1", "m-1", Map.of(),
			"{}".getBytes(StandardCharsets.UTF_8));

	@Test
	void adapterAcceptsAsynchronouslyUnlessItSaysOtherwise() {
		assertThat(new FutureAdapter((message) -> new CompletableFuture<>()).acceptsSynchronously()).isFalse();
	}

	@Test
	void sendNowReturnsWhatSendCompletesWith() {
		CompletableFuture<SendResult> later = new CompletableFuture<>();
		FutureAdapter adapter = new FutureAdapter((message) -> later);
		CompletableFuture<SendResult> sent = CompletableFuture.supplyAsync(() -> adapter.sendNow(MESSAGE));
		later.complete(new SendResult("0@7"));
		assertThat(sent.join().position()).isEqualTo("0@7");
	}

	@Test
	void sendNowThrowsWhatSendFailedWith() {
		PublishException refused = new PublishException("refused");
		FutureAdapter adapter = new FutureAdapter((message) -> CompletableFuture.failedFuture(refused));
		assertThatExceptionOfType(PublishException.class).isThrownBy(() -> adapter.sendNow(MESSAGE))
			.isSameAs(refused);
	}

	@Test
	void sendNowKeepsACheckedFailureWrapped() {
		Exception checked = new Exception("checked");
		FutureAdapter adapter = new FutureAdapter((message) -> CompletableFuture.failedFuture(checked));
		assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> adapter.sendNow(MESSAGE))
			.withCause(checked);
	}

	/**
	 * An adapter whose sends complete as a function says; nothing else is used.
	 */
	private record FutureAdapter(Function<OutboundMessage, CompletableFuture<SendResult>> sends)
			implements EventBusAdapter {

		@Override
		public String name() {
			return "future";
		}

		@Override
		public AdapterCapabilities capabilities() {
			return new AdapterCapabilities(true, true, true, true, ContentMode.STRUCTURED);
		}

		@Override
		public CompletableFuture<SendResult> send(OutboundMessage message) {
			return this.sends.apply(message);
		}

		@Override
		public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
			throw new UnsupportedOperationException();
		}

		@Override
		public AdapterHealth health() {
			return AdapterHealth.up(Map.of());
		}

		@Override
		public void close() {
		}

	}

}
