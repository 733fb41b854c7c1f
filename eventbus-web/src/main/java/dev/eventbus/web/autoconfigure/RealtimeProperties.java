package dev.eventbus.web.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the real-time bridge ({@code eventbus.realtime.*}).
 */
@ConfigurationProperties("eventbus.realtime")
public class RealtimeProperties {

	/** Whether the bridge is on. */
	private boolean enabled;

	/** Destination the pushes cross the bus on. */
	private String destination = "eventbus-realtime";

	/**
	 * Id of this instance, part of its consumer group on the push destination; random by
	 * default. A stable id (the host name) reuses the group across restarts.
	 */
	private String instanceId = UUID.randomUUID().toString().substring(0, 8);

	/** Pushes older than this when they arrive are not delivered. */
	private Duration maxAge = Duration.ofSeconds(30);

	/** Pushes kept for SSE clients that reconnect with Last-Event-ID. */
	private int recentPushes = 1000;

	/** Rules that push bus events to rooms, users or everyone. */
	private List<Forward> forward = new ArrayList<>();

	private final Stomp stomp = new Stomp();

	private final Sse sse = new Sse();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getDestination() {
		return this.destination;
	}

	public void setDestination(String destination) {
		this.destination = destination;
	}

	public String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(String instanceId) {
		this.instanceId = instanceId;
	}

	public Duration getMaxAge() {
		return this.maxAge;
	}

	public void setMaxAge(Duration maxAge) {
		this.maxAge = maxAge;
	}

	public int getRecentPushes() {
		return this.recentPushes;
	}

	public void setRecentPushes(int recentPushes) {
		this.recentPushes = recentPushes;
	}

	public List<Forward> getForward() {
		return this.forward;
	}

	public void setForward(List<Forward> forward) {
		this.forward = forward;
	}

	public Stomp getStomp() {
		return this.stomp;
	}

	public Sse getSse() {
		return this.sse;
	}

	/**
	 * A forwarding rule.
	 */
	public static class Forward {

		/** Type patterns of the events pushed. */
		private List<String> types = new ArrayList<>();

		/** SpEL over the event giving the room, such as "'order:' + subject". */
		private @Nullable String room;

		/** SpEL over the event giving the user, such as "payload.customerId". */
		private @Nullable String user;

		/** Whether the events go to every client. */
		private boolean broadcast;

		public List<String> getTypes() {
			return this.types;
		}

		public void setTypes(List<String> types) {
			this.types = types;
		}

		public @Nullable String getRoom() {
			return this.room;
		}

		public void setRoom(@Nullable String room) {
			this.room = room;
		}

		public @Nullable String getUser() {
			return this.user;
		}

		public void setUser(@Nullable String user) {
			this.user = user;
		}

		public boolean isBroadcast() {
			return this.broadcast;
		}

		public void setBroadcast(boolean broadcast) {
			this.broadcast = broadcast;
		}

	}

	/**
	 * STOMP over WebSocket.
	 */
	public static class Stomp {

		/** Path of the WebSocket endpoint. */
		private String endpoint = "/eventbus/ws";

		/**
		 * Origins allowed to connect from a browser (patterns); the page's own when
		 * empty.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/** Bytes waiting for a slow client past which it is disconnected. */
		private DataSize sendBufferSizeLimit = DataSize.ofKilobytes(512);

		/** Longest one send to a client may take before it is disconnected. */
		private Duration sendTimeLimit = Duration.ofSeconds(10);

		public String getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(String endpoint) {
			this.endpoint = endpoint;
		}

		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		public DataSize getSendBufferSizeLimit() {
			return this.sendBufferSizeLimit;
		}

		public void setSendBufferSizeLimit(DataSize sendBufferSizeLimit) {
			this.sendBufferSizeLimit = sendBufferSizeLimit;
		}

		public Duration getSendTimeLimit() {
			return this.sendTimeLimit;
		}

		public void setSendTimeLimit(Duration sendTimeLimit) {
			this.sendTimeLimit = sendTimeLimit;
		}

	}

	/**
	 * Server-sent events.
	 */
	public static class Sse {

		/** Path of the SSE endpoint. */
		private String path = "/eventbus/sse";

		/** Pushes a client may have waiting past which it is disconnected. */
		private int buffer = 256;

		/** How long one SSE response stays open; the client then reconnects. */
		private Duration timeout = Duration.ofMinutes(30);

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public int getBuffer() {
			return this.buffer;
		}

		public void setBuffer(int buffer) {
			this.buffer = buffer;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
