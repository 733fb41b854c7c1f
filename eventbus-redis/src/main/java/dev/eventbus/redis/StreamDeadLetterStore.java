package dev.eventbus.redis;

import java.util.ArrayList;
import java.util.List;

import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.StoredMessage;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Dead letters in Redis streams: browsed with XRANGE, removed with XDEL, purged with
 * XTRIM MAXLEN 0 (which keeps the stream and its consumer groups). Message ids are entry
 * ids. Thread safe.
 */
final class StreamDeadLetterStore implements DeadLetterStore {

	private final StringRedisTemplate template;

	private final String keyPrefix;

	StreamDeadLetterStore(StringRedisTemplate template, String keyPrefix) {
		this.template = template;
		this.keyPrefix = keyPrefix;
	}

	@Override
	public List<StoredMessage> browse(String deadLetterDestination, int limit) {
		if (limit < 1) {
			return List.of();
		}
		List<ByteRecord> records = this.template
			.execute((RedisCallback<List<ByteRecord>>) (connection) -> connection.streamCommands()
				.xRange(key(deadLetterDestination), Range.unbounded(), Limit.limit().count(limit)));
		List<StoredMessage> messages = new ArrayList<>();
		if (records != null) {
			for (ByteRecord record : records) {
				StreamEntryLayout.Entry entry = StreamEntryLayout.read(record.getValue());
				messages.add(new StoredMessage(record.getId().getValue(), entry.key(), entry.headers(), entry.body()));
			}
		}
		return messages;
	}

	@Override
	public boolean remove(String deadLetterDestination, String messageId) {
		Long removed = this.template.execute((RedisCallback<Long>) (connection) -> connection.streamCommands()
			.xDel(key(deadLetterDestination), RecordId.of(messageId)));
		return removed != null && removed > 0;
	}

	@Override
	public int purge(String deadLetterDestination) {
		Long removed = this.template.execute(
				(RedisCallback<Long>) (connection) -> connection.streamCommands().xTrim(key(deadLetterDestination), 0));
		return (removed != null) ? removed.intValue() : 0;
	}

	private byte[] key(String destination) {
		return StreamEntryLayout.bytes(this.keyPrefix + destination);
	}

}
