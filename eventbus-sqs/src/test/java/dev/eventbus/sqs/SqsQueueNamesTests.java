package dev.eventbus.sqs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqsQueueNamesTests {

	private final SqsQueueNames standard = new SqsQueueNames(false, ".dlq");

	private final SqsQueueNames fifo = new SqsQueueNames(true, ".dlq");

	@Test
	void charactersSqsRejectsBecomeUnderscoresWithoutDoubleUnderscores() {
		assertThat(this.standard.destinationQueue("orders.created/v1")).isEqualTo("orders_created_v1");
		assertThat(this.standard.groupQueue("orders", "billing.on__order")).isEqualTo("orders__billing_on_order");
		assertThat(this.standard.destinationQueue("orders.dlq")).isEqualTo("orders_dlq");
	}

	@Test
	void fifoQueuesEndWithTheFifoSuffix() {
		assertThat(this.fifo.destinationQueue("orders")).isEqualTo("orders.fifo");
		assertThat(this.fifo.groupQueue("orders", "billing")).isEqualTo("orders__billing.fifo");
		assertThat(this.fifo.matchesKind("http://localhost/000/orders__billing.fifo")).isTrue();
		assertThat(this.standard.matchesKind("http://localhost/000/orders__billing.fifo")).isFalse();
	}

	@Test
	void longNamesAreCutToEightyCharactersAndStayDistinct() {
		String destination = "d".repeat(100);
		String first = this.fifo.groupQueue(destination, "g".repeat(100) + "-1");
		String second = this.fifo.groupQueue(destination, "g".repeat(100) + "-2");
		assertThat(first).hasSizeLessThanOrEqualTo(80).endsWith(".fifo").isNotEqualTo(second);
		assertThat(second).hasSizeLessThanOrEqualTo(80).startsWith(this.fifo.groupQueuePrefix(destination));
		assertThat(this.standard.destinationQueue(destination)).hasSizeLessThanOrEqualTo(40);
	}

	@Test
	void groupQueuesOfOneDestinationDoNotMatchThePrefixOfAnother() {
		String other = this.standard.groupQueue("orders_eu", "billing");
		assertThat(other).doesNotStartWith(this.standard.groupQueuePrefix("orders"));
		assertThat(this.standard.groupQueue("orders", "billing")).startsWith(this.standard.groupQueuePrefix("orders"));
	}

	@Test
	void deadLetterDestinationsEndWithTheSuffix() {
		assertThat(this.standard.isDeadLetter("orders.dlq")).isTrue();
		assertThat(this.standard.isDeadLetter("orders")).isFalse();
	}

}
