package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.connection.CorrelationData.Confirm;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes messages with a {@link RabbitTemplate} on the connection factory's publisher
 * connection, mandatory and with correlated publisher confirms: a send completes once the
 * broker confirmed the message and routed it to at least one queue. A message returned
 * unroutable (no group of its destination is bound to its type) or negatively confirmed
 * fails its send, as does a confirm that does not arrive within the confirm timeout. The
 * exchange of a destination is declared before the first send to it. Thread safe.
 */
final class RabbitMqPublisher {

	private final RabbitTemplate template;

	private final RabbitMqTopology topology;

	private final RabbitMqMessageMapping mapping;

	private final RabbitMqFailures failures;

	private final Duration confirmTimeout;

	private final Set<CompletableFuture<SendResult>> pending = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	RabbitMqPublisher(RabbitTemplate template, RabbitMqTopology topology, RabbitMqMessageMapping mapping,
			RabbitMqFailures failures, Duration confirmTimeout) {
		this.template = template;
		this.topology = topology;
		this.mapping = mapping;
		this.failures = failures;
		this.confirmTimeout = confirmTimeout;
	}

	CompletableFuture<SendResult> send(OutboundMessage message) {
		if (this.closed) {
			return CompletableFuture.failedFuture(new PublishException("RabbitMQ adapter closed: message '"
					+ message.id() + "' to '" + message.destination() + "' was not sent"));
		}
		String exchange = message.destination();
		CompletableFuture<SendResult> result = new CompletableFuture<>();
		try {
			this.topology.ensureDestination(exchange);
			RabbitMqMessageMapping.Outgoing outgoing = this.mapping.outgoing(message);
			CorrelationData correlation = new CorrelationData();
			this.pending.add(result);
			result.whenComplete((sent, failure) -> this.pending.remove(result));
			this.template.send(exchange, outgoing.routingKey(), outgoing.message(), correlation);
			correlation.getFuture()
				.orTimeout(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.whenComplete((confirm, failure) -> complete(result, message, outgoing.routingKey(), correlation,
						confirm, failure));
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(new PublishException("RabbitMQ did not accept message '" + message.id()
					+ "' to '" + exchange + "': " + this.failures.describe(ex), ex));
		}
		return result;
	}

	private void complete(CompletableFuture<SendResult> result, OutboundMessage message, String routingKey,
			CorrelationData correlation, @Nullable Confirm confirm, @Nullable Throwable failure) {
		ReturnedMessage returned = correlation.getReturned();
		if (failure == null && confirm != null && confirm.ack() && returned == null) {
			result.complete(SendResult.none());
			return;
		}
		String what = "message '" + message.id() + "' to exchange '" + message.destination() + "' with routing key '"
				+ routingKey + "'";
		if (failure != null) {
			String reason = (failure instanceof TimeoutException) ? "no publisher confirm within "
					+ this.confirmTimeout.toMillis() + "ms (eventbus.rabbitmq.confirm-timeout)"
					: this.failures.describe(failure);
			result.completeExceptionally(
					new PublishException("RabbitMQ did not confirm " + what + ": " + reason, failure));
		}
		else if (confirm == null || !confirm.ack()) {
			String reason = (confirm != null) ? confirm.reason() : null;
			if (reason != null && reason.contains("NOT_FOUND")) {
				this.topology.forget(message.destination());
			}
			result.completeExceptionally(
					new PublishException("RabbitMQ refused " + what + ": " + ((reason != null) ? reason : "nack")));
		}
		else {
			result.completeExceptionally(new PublishException("RabbitMQ could not route " + what
					+ ": no queue is bound to it (" + returned.getReplyText()
					+ "); a consumer group receives a destination's events only once it has subscribed to them"));
		}
	}

	/**
	 * Refuse new sends and wait until the sends accepted before are confirmed, failed or
	 * timed out.
	 * @param timeout the longest wait
	 */
	void close(Duration timeout) {
		this.closed = true;
		CompletableFuture<?>[] open = this.pending.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(open).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			// each send reports its own failure
		}
	}

}
