package dev.eventbus.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Describes failures of RabbitMQ operations for exception messages, logs and health:
 * refused credentials name the settings to check, unreachable brokers their address,
 * channel errors the broker's reply. Thread safe.
 */
final class RabbitMqFailures {

	/** AMQP reply code of an operation the user may not perform. */
	static final int ACCESS_REFUSED = 403;

	/** AMQP reply code of something that does not exist. */
	static final int NOT_FOUND = 404;

	/** AMQP reply code of a declaration that differs from what exists. */
	static final int PRECONDITION_FAILED = 406;

	private final String broker;

	RabbitMqFailures(CachingConnectionFactory connectionFactory) {
		this.broker = describe(connectionFactory);
	}

	/**
	 * The broker's address, virtual host and user, for messages.
	 * @return the description
	 */
	String broker() {
		return this.broker;
	}

	/**
	 * What went wrong, in a sentence that names what to check.
	 * @param failure the failure
	 * @return the description
	 */
	String describe(Throwable failure) {
		if (find(failure, AmqpAuthenticationException.class) != null
				|| find(failure, AuthenticationFailureException.class) != null) {
			return "RabbitMQ at " + this.broker + " refused the credentials: check spring.rabbitmq.username and "
					+ "spring.rabbitmq.password (" + rootMessage(failure) + ")";
		}
		if (find(failure, AmqpConnectException.class) != null) {
			return "Cannot connect to RabbitMQ at " + this.broker + ": " + rootMessage(failure);
		}
		ShutdownSignalException signal = find(failure, ShutdownSignalException.class);
		if (signal != null && signal.getReason() instanceof AMQP.Channel.Close close) {
			return close.getReplyText();
		}
		return rootMessage(failure);
	}

	/**
	 * The AMQP reply code of a channel or connection error in a failure's causes.
	 * @param failure the failure
	 * @return the code, or 0 when there is none
	 */
	static int replyCode(Throwable failure) {
		ShutdownSignalException signal = find(failure, ShutdownSignalException.class);
		Method reason = (signal != null) ? signal.getReason() : null;
		if (reason instanceof AMQP.Channel.Close close) {
			return close.getReplyCode();
		}
		if (reason instanceof AMQP.Connection.Close close) {
			return close.getReplyCode();
		}
		return 0;
	}

	private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return (message != null) ? message : root.getClass().getName();
	}

	/**
	 * The address, virtual host and user a connection factory connects with. Spring AMQP
	 * shows configured addresses only in the factory's {@code toString()}.
	 */
	private static String describe(CachingConnectionFactory connectionFactory) {
		String text = connectionFactory.toString();
		int start = text.indexOf("addresses=[");
		int end = (start >= 0) ? text.indexOf(']', start) : -1;
		String address = (end > start) ? text.substring(start + "addresses=[".length(), end)
				: connectionFactory.getHost() + ":" + connectionFactory.getPort();
		return address + " (virtual host '" + connectionFactory.getVirtualHost() + "', user '"
				+ connectionFactory.getUsername() + "')";
	}

}
