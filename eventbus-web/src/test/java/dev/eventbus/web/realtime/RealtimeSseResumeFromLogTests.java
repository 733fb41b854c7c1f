package dev.eventbus.web.realtime;

import java.util.Map;

import dev.eventbus.jdbc.EventLog;
import dev.eventbus.jdbc.EventLog.EventLogQuery;
import dev.eventbus.web.realtime.RealtimeSseTests.SseReader;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the event log on, an SSE client that reconnects after its place left the buffer of
 * recent pushes (here one push long) gets what it missed from the log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=realtime-log-test", "eventbus.realtime.enabled=true",
				"eventbus.realtime.recent-pushes=1", "eventbus.log.enabled=true",
				"spring.datasource.url=jdbc:h2:mem:realtime-log" })
class RealtimeSseResumeFromLogTests {

	@LocalServerPort
	int port;

	@Autowired
	RealtimeBridge bridge;

	@Autowired
	EventLog log;

	@Test
	void aClientAwayLongerThanTheBufferResumesFromTheEventLog() throws Exception {
		SseReader first = RealtimeSseTests.open(this.port, "alice", "?room=logged", null);
		this.bridge.publishToRoom("logged", "step", Map.of("n", 1));
		first.next();
		String lastId = first.lastId;
		first.close();
		this.bridge.publishToRoom("logged", "step", Map.of("n", 2));
		this.bridge.publishToRoom("logged", "step", Map.of("n", 3));
		await().until(() -> this.log.find(EventLogQuery.all().withTypes(Push.TYPE)).size() == 3);
		SseReader again = RealtimeSseTests.open(this.port, "alice", "?room=logged", lastId);
		try {
			assertThat(again.next()).contains("\"n\":2");
			assertThat(again.next()).contains("\"n\":3");
		}
		finally {
			again.close();
		}
	}

}
