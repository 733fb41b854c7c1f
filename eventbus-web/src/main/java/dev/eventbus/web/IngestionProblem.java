package dev.eventbus.web;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Why a request to the ingestion endpoint was refused: the HTTP status and an RFC 9457
 * problem that names what is wrong.
 */
public class IngestionProblem extends RuntimeException {

	private final HttpStatus status;

	private final String title;

	private final @Nullable Integer index;

	private final List<String> accepted;

	/**
	 * Create a problem.
	 * @param status the HTTP status
	 * @param title short summary of the kind of problem
	 * @param detail what is wrong with this request
	 */
	public IngestionProblem(HttpStatus status, String title, String detail) {
		this(status, title, detail, null, List.of(), null);
	}

	private IngestionProblem(HttpStatus status, String title, String detail, @Nullable Integer index,
			List<String> accepted, @Nullable Throwable cause) {
		super(detail, cause);
		this.status = status;
		this.title = title;
		this.index = index;
		this.accepted = List.copyOf(accepted);
	}

	/**
	 * The same problem, of the entry at an index of a batch.
	 * @param index the index of the entry, from 0
	 * @return the problem naming the entry
	 */
	public IngestionProblem atIndex(int index) {
		return new IngestionProblem(this.status, this.title, "Entry " + index + ": " + getMessage(), index,
				this.accepted, getCause());
	}

	/**
	 * The same problem, after some events of the request were accepted.
	 * @param ids the ids accepted before the problem
	 * @return the problem listing them
	 */
	public IngestionProblem afterAccepting(List<String> ids) {
		return new IngestionProblem(this.status, this.title, getMessage(), this.index, ids, getCause());
	}

	/**
	 * The same problem with its cause.
	 * @param cause what caused it
	 * @return the problem
	 */
	public IngestionProblem causedBy(Throwable cause) {
		return new IngestionProblem(this.status, this.title, getMessage(), this.index, this.accepted, cause);
	}

	public HttpStatus status() {
		return this.status;
	}

	/**
	 * The RFC 9457 problem: status, title and detail, and {@code index} (the batch entry)
	 * and {@code accepted} (ids accepted before it) when known.
	 * @return the problem
	 */
	public ProblemDetail toProblemDetail() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(this.status, getMessage());
		problem.setTitle(this.title);
		if (this.index != null) {
			problem.setProperty("index", this.index);
		}
		if (!this.accepted.isEmpty()) {
			problem.setProperty("accepted", this.accepted);
		}
		return problem;
	}

}
