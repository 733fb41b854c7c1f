package dev.eventbus.sqs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.ListQueuesRequest;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Finds and creates the queues of destinations and groups, and the group queues a send
 * fans out to. Queue URLs are cached until the queue is found missing; the group queues
 * of a destination are listed with {@code ListQueues} on first use and again after
 * {@link SqsAdapterSettings#groupRefreshInterval()}, and groups subscribed through this
 * adapter are known at once. The targets of a destination, once found, are kept as a
 * plain value ({@link #resolvedTargets(String)}) so that sends within the refresh
 * interval need no lookup.
 * <p>
 * A queue that a call finds missing (deleted by an operator, or lost with a broker that
 * does not persist its queues) is {@link #recover(String) recovered}: its cached URL, the
 * resolved targets and the group listings are forgotten, and a destination queue, or the
 * group queue of a subscription of this adapter, is looked up again and, with
 * {@link SqsAdapterSettings#autoCreateQueues()}, created again with the attributes it was
 * first created with: visibility timeout, FIFO, and the redrive policy to its dead-letter
 * queue, which is recovered too. {@link #onQueue(String, Function)} retries a call once
 * on the recovered queue. Group queues of other applications' groups are never created
 * here: their consumers do that. Thread safe.
 */
final class SqsQueues {

	private static final Log logger = LogFactory.getLog(SqsQueues.class);

	private static final String AUTO_CREATE_PROPERTY = "eventbus.sqs.auto-create-queues";

	private final SqsAsyncClient client;

	private final SqsAdapterSettings settings;

	private final SqsQueueNames names;

	private final ConcurrentMap<String, CompletableFuture<String>> urls = new ConcurrentHashMap<>();

	/**
	 * How each queue this adapter resolved was found or created, by queue name, to do it
	 * again once lost.
	 */
	private final ConcurrentMap<String, Supplier<CompletableFuture<String>>> resolvers = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, GroupQueues> groups = new ConcurrentHashMap<>();

	/** The group queues of this adapter's subscriptions: URL by queue name. */
	private final ConcurrentMap<String, String> localGroupQueues = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, ResolvedTargets> resolved = new ConcurrentHashMap<>();

	/**
	 * Advanced whenever a group queue of this adapter appears, which outdates every
	 * resolved target list.
	 */
	private final AtomicLong generation = new AtomicLong();

	SqsQueues(SqsAsyncClient client, SqsAdapterSettings settings, SqsQueueNames names) {
		this.client = client;
		this.settings = settings;
		this.names = names;
	}

	SqsQueueNames names() {
		return this.names;
	}

	/**
	 * The queues a message for a destination goes to: every group queue, or the
	 * destination queue when there is none. Dead-letter destinations always keep a copy
	 * in their destination queue, which the dead-letter store reads, and give one to each
	 * group reading them.
	 * @param destination the destination
	 * @return the queue URLs
	 */
	CompletableFuture<List<String>> targets(String destination) {
		boolean keep = this.names.isDeadLetter(destination);
		long generation = this.generation.get();
		GroupQueues groupQueues = groupQueues(destination);
		return groupQueues.listing.thenCompose((found) -> {
			if (!found.isEmpty() && !keep) {
				return CompletableFuture.completedFuture(resolved(destination, found, generation, groupQueues));
			}
			return destinationQueue(destination).thenApply((url) -> {
				List<String> all = new ArrayList<>(found.size() + 1);
				all.add(url);
				all.addAll(found);
				return resolved(destination, List.copyOf(all), generation, groupQueues);
			});
		});
	}

	/**
	 * The queues a message for a destination goes to, as last found by
	 * {@link #targets(String)}, while that is younger than the refresh interval and no
	 * group queue appeared since.
	 * @param destination the destination
	 * @return the queue URLs, or {@code null} when they have to be found with
	 * {@link #targets(String)}
	 */
	@Nullable List<String> resolvedTargets(String destination) {
		ResolvedTargets current = this.resolved.get(destination);
		if (current == null || current.generation != this.generation.get()
				|| System.nanoTime() - current.refreshAt >= 0) {
			return null;
		}
		return current.urls;
	}

	private List<String> resolved(String destination, List<String> urls, long generation, GroupQueues listed) {
		long refreshAt = listed.listedAt + this.settings.groupRefreshInterval().toNanos();
		this.resolved.put(destination, new ResolvedTargets(urls, generation, refreshAt));
		return urls;
	}

	/**
	 * The queue a group reads a destination from, created when missing and auto-creation
	 * is on.
	 * @param destination the destination
	 * @param group the group
	 * @param maxAttempts the handler's max attempts, for the native redrive policy
	 * @return the queue URL
	 */
	CompletableFuture<String> subscriptionQueue(String destination, String group, int maxAttempts) {
		String name = this.names.groupQueue(destination, group);
		this.resolvers.putIfAbsent(name, () -> subscriptionQueue(destination, group, maxAttempts));
		return url(name, () -> createGroupQueue(destination, name, maxAttempts)).thenApply((url) -> {
			if (!url.equals(this.localGroupQueues.put(name, url))) {
				this.groups.remove(destination);
				this.generation.incrementAndGet();
			}
			return url;
		});
	}

	/**
	 * The destination queue, which is the destination's ingress: the queue configured for
	 * it ({@link SqsAdapterSettings#ingressQueues()}, a URL used as it is or a name),
	 * else the queue of its own name; created when missing and auto-creation is on.
	 * @param destination the destination
	 * @return the queue URL
	 */
	CompletableFuture<String> destinationQueue(String destination) {
		String configured = this.settings.ingressQueues().get(destination);
		if (configured != null && configured.contains("://")) {
			return CompletableFuture.completedFuture(configured);
		}
		String name = (configured != null) ? configured : this.names.destinationQueue(destination);
		this.resolvers.putIfAbsent(name, () -> destinationQueue(destination));
		return url(name, () -> create(name, Map.of()));
	}

	/**
	 * The group queues of a destination, as publishers see them: listed at most
	 * {@link SqsAdapterSettings#groupRefreshInterval()} ago, with those of this adapter's
	 * subscriptions.
	 * @param destination the destination
	 * @return the queue URLs
	 */
	CompletableFuture<List<String>> groupQueueUrls(String destination) {
		return groupQueues(destination).listing;
	}

	/**
	 * Make a call on a queue, and once more on the {@link #recover(String) recovered}
	 * queue when it fails because the queue does not exist.
	 * @param <T> the result of the call
	 * @param queueUrl the queue
	 * @param call makes the call on a queue URL
	 * @return the result of the last call
	 */
	<T> CompletableFuture<T> onQueue(String queueUrl, Function<String, CompletableFuture<T>> call) {
		return call(call, queueUrl).exceptionallyCompose(
				(ex) -> SqsFailures.isMissing(ex) ? recover(queueUrl).thenCompose((recovered) -> call(call, recovered))
						: CompletableFuture.failedFuture(ex));
	}

	/**
	 * Find a queue again that a call found missing, after forgetting its URL and every
	 * target list and group listing; a destination queue or a group queue of this adapter
	 * is created again when auto-creation is on.
	 * @param queueUrl the URL the call found missing
	 * @return the queue's URL, failing with a {@link QueueDoesNotExistException} that
	 * names the queue when it is still missing
	 */
	CompletableFuture<String> recover(String queueUrl) {
		String name = queueName(queueUrl);
		CompletableFuture<String> cached = this.urls.get(name);
		if (cached != null && cached.isDone() && !cached.isCompletedExceptionally() && queueUrl.equals(cached.join())) {
			this.urls.remove(name, cached);
		}
		this.groups.clear();
		this.generation.incrementAndGet();
		Supplier<CompletableFuture<String>> resolver = this.resolvers.get(name);
		if (resolver != null) {
			return resolver.get();
		}
		return existing(name).exceptionallyCompose((ex) -> CompletableFuture.failedFuture(SqsFailures.isMissing(ex)
				? missing(name, "; it is the queue of a consumer group of another application, which creates it", ex)
				: ex));
	}

	/**
	 * The URL of an existing queue, without creating it.
	 * @param name the queue name
	 * @return the URL, failing with {@link QueueDoesNotExistException} when missing
	 */
	CompletableFuture<String> existing(String name) {
		return this.client.getQueueUrl((request) -> request.queueName(name))
			.thenApply((response) -> response.queueUrl());
	}

	CompletableFuture<GetQueueAttributesResponse> attributes(String queueUrl, QueueAttributeName... names) {
		return this.client.getQueueAttributes((request) -> request.queueUrl(queueUrl).attributeNames(names));
	}

	private GroupQueues groupQueues(String destination) {
		GroupQueues current = this.groups.get(destination);
		if (current != null && !current.expired(this.settings.groupRefreshInterval().toNanos())) {
			return current;
		}
		GroupQueues fresh = new GroupQueues(list(this.names.groupQueuePrefix(destination), null, new ArrayList<>()));
		GroupQueues winner = (current == null) ? this.groups.putIfAbsent(destination, fresh)
				: (this.groups.replace(destination, current, fresh) ? null : this.groups.get(destination));
		if (winner != null) {
			return winner;
		}
		fresh.listing.whenComplete((found, ex) -> {
			if (ex != null) {
				this.groups.remove(destination, fresh);
			}
		});
		return fresh;
	}

	private CompletableFuture<List<String>> list(String prefix, @Nullable String token, List<String> found) {
		ListQueuesRequest request = ListQueuesRequest.builder()
			.queueNamePrefix(prefix)
			.maxResults(1000)
			.nextToken(token)
			.build();
		return this.client.listQueues(request).thenCompose((ListQueuesResponse response) -> {
			response.queueUrls().stream().filter(this.names::matchesKind).forEach(found::add);
			if (response.nextToken() != null && !response.queueUrls().isEmpty()) {
				return list(prefix, response.nextToken(), found);
			}
			Set<String> all = new LinkedHashSet<>(found);
			this.localGroupQueues.forEach((name, url) -> {
				if (name.startsWith(prefix)) {
					all.add(url);
				}
			});
			return CompletableFuture.completedFuture(List.copyOf(all));
		});
	}

	private CompletableFuture<String> url(String name, Supplier<CompletableFuture<String>> create) {
		CompletableFuture<String> cached = this.urls.computeIfAbsent(name,
				(key) -> existing(name).exceptionallyCompose((ex) -> {
					if (!SqsFailures.isMissing(ex)) {
						return CompletableFuture.failedFuture(ex);
					}
					return this.settings.autoCreateQueues() ? create.get() : CompletableFuture
						.failedFuture(missing(name, " and " + AUTO_CREATE_PROPERTY + " is off", ex));
				}));
		return cached.whenComplete((url, ex) -> {
			if (ex != null) {
				this.urls.remove(name, cached);
			}
		});
	}

	private CompletableFuture<String> createGroupQueue(String destination, String name, int maxAttempts) {
		if (!this.settings.nativeRedrive() || this.names.isDeadLetter(destination)) {
			return create(name, Map.of());
		}
		return destinationQueue(destination + this.settings.deadLetterSuffix())
			.thenCompose(
					(deadLetterUrl) -> onQueue(deadLetterUrl, (url) -> attributes(url, QueueAttributeName.QUEUE_ARN)))
			.thenCompose((response) -> {
				String arn = response.attributes().get(QueueAttributeName.QUEUE_ARN);
				int maxReceiveCount = Math.min(1000, maxAttempts + this.settings.redriveExtraReceives());
				String policy = "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"" + maxReceiveCount
						+ "\"}";
				return create(name, Map.of(QueueAttributeName.REDRIVE_POLICY, policy));
			});
	}

	private CompletableFuture<String> create(String name, Map<QueueAttributeName, String> extra) {
		Map<QueueAttributeName, String> attributes = new HashMap<>(extra);
		attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT,
				Long.toString(this.settings.visibilityTimeout().toSeconds()));
		if (this.names.fifo()) {
			attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
		}
		return this.client.createQueue(CreateQueueRequest.builder().queueName(name).attributes(attributes).build())
			.thenApply((response) -> {
				logger.info("Created SQS queue '" + name + "'" + (name.contains(SqsQueueNames.GROUP_SEPARATOR)
						? ": its consumer group receives the events published from now on" : ""));
				return response.queueUrl();
			});
	}

	static String queueName(String queueUrl) {
		return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
	}

	private static QueueDoesNotExistException missing(String name, String why, Throwable cause) {
		return QueueDoesNotExistException.builder()
			.message("SQS queue '" + name + "' does not exist" + why)
			.cause(SqsFailures.unwrap(cause))
			.build();
	}

	private static <T> CompletableFuture<T> call(Function<String, CompletableFuture<T>> call, String queueUrl) {
		try {
			return call.apply(queueUrl);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * The target queues of a destination, valid in one generation until a time.
	 *
	 * @param urls the queue URLs
	 * @param generation the generation they were found in
	 * @param refreshAt when to find them again, in {@link System#nanoTime()}
	 */
	private record ResolvedTargets(List<String> urls, long generation, long refreshAt) {
	}

	/** Group queues listed for a destination, with the time they were listed. */
	private static final class GroupQueues {

		private final long listedAt = System.nanoTime();

		private final CompletableFuture<List<String>> listing;

		GroupQueues(CompletableFuture<List<String>> listing) {
			this.listing = listing;
		}

		boolean expired(long intervalNanos) {
			return System.nanoTime() - this.listedAt > intervalNanos;
		}

	}

}
