package dev.eventbus.codec;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where the envelope attributes are in plain JSON messages written by producers outside
 * this library (JSON without {@code specversion}). For example {@code {"urn": ...,
 * "event": ..., "payload": ...}} reads with {@code subjectField = "urn"},
 * {@code typeField = "event"}, {@code dataField = "payload"}. A message without an id
 * takes the broker's identity of the message (stable across redelivery, unique per
 * message); one without a source is named after the destination it came from; without a
 * data field the whole document is the data.
 *
 * @param idField field holding the event id
 * @param sourceField field holding the source
 * @param typeField field holding the event type
 * @param subjectField field holding the subject
 * @param timeField field holding the time (ISO-8601 or epoch milliseconds)
 * @param correlationIdField field holding the correlation id
 * @param dataField field holding the data, or {@code null} for the whole document
 */
public record PlainJsonMapping(String idField, String sourceField, String typeField, String subjectField,
		String timeField, String correlationIdField, @Nullable String dataField) {

	/**
	 * {@code id}, {@code source}, {@code type}, {@code subject}, {@code time},
	 * {@code correlationId}, {@code data}.
	 */
	public static final PlainJsonMapping DEFAULT = new PlainJsonMapping("id", "source", "type", "subject", "time",
			"correlationId", "data");

	public PlainJsonMapping {
		Objects.requireNonNull(idField, "idField");
		Objects.requireNonNull(sourceField, "sourceField");
		Objects.requireNonNull(typeField, "typeField");
		Objects.requireNonNull(subjectField, "subjectField");
		Objects.requireNonNull(timeField, "timeField");
		Objects.requireNonNull(correlationIdField, "correlationIdField");
	}

}
