package dev.eventbus.web.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the HTTP ingestion endpoint ({@code eventbus.web.ingestion.*}).
 */
@ConfigurationProperties("eventbus.web.ingestion")
public class EventBusWebProperties {

	/** Whether the endpoint is on. */
	private boolean enabled;

	/** Path of the endpoint; it takes POST. */
	private String path = "/eventbus/events";

	/**
	 * Patterns of the event types callers may publish ('order.*', '*' for any); required.
	 */
	private List<String> allowedTypes = new ArrayList<>();

	/**
	 * Source patterns callers may use, '{principal}' standing for the caller's name;
	 * empty for any source but those of applications on the bus (urn:eventbus:*,
	 * eventbus.source).
	 */
	private List<String> allowedSources = new ArrayList<>();

	/** Source of plain JSON without one; '{principal}' stands for the caller's name. */
	private String defaultSource = "urn:eventbus-web:{principal}";

	/** Largest request body taken; a larger one is answered 413. */
	private DataSize maxBodySize = DataSize.ofMegabytes(1);

	/** What a 503 answer asks the caller to wait (Retry-After). */
	private Duration retryAfter = Duration.ofSeconds(5);

	/**
	 * Events remembered in memory to recognise a repeated source and id, when the
	 * application has no inbox (eventbus.inbox.enabled).
	 */
	private int deduplicationWindow = 10_000;

	private final Security security = new Security();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public List<String> getAllowedTypes() {
		return this.allowedTypes;
	}

	public void setAllowedTypes(List<String> allowedTypes) {
		this.allowedTypes = allowedTypes;
	}

	public List<String> getAllowedSources() {
		return this.allowedSources;
	}

	public void setAllowedSources(List<String> allowedSources) {
		this.allowedSources = allowedSources;
	}

	public String getDefaultSource() {
		return this.defaultSource;
	}

	public void setDefaultSource(String defaultSource) {
		this.defaultSource = defaultSource;
	}

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		this.maxBodySize = maxBodySize;
	}

	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	public void setRetryAfter(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

	public int getDeduplicationWindow() {
		return this.deduplicationWindow;
	}

	public void setDeduplicationWindow(int deduplicationWindow) {
		this.deduplicationWindow = deduplicationWindow;
	}

	public Security getSecurity() {
		return this.security;
	}

	/**
	 * Who may call the endpoint.
	 */
	public static class Security {

		/**
		 * Whether callers must be authenticated and hold the authority; needs Spring
		 * Security.
		 */
		private boolean enabled = true;

		/**
		 * Authority a caller must hold (for a JWT scope 'x', 'SCOPE_x'; for a role 'R',
		 * 'ROLE_R').
		 */
		private String authority = "eventbus.publish";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getAuthority() {
			return this.authority;
		}

		public void setAuthority(String authority) {
			this.authority = authority;
		}

	}

}
