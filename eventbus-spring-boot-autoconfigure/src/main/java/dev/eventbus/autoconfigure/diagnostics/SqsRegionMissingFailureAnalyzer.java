package dev.eventbus.autoconfigure.diagnostics;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A {@code FailureAnalyzer} for an SQS client that could not be built for lack of an AWS
 * region: the AWS SDK's message suggests {@code AWS_REGION}, while a Spring application
 * sets {@code spring.cloud.aws.region.static}. Matches the SDK's exception by name, so
 * that it needs no AWS class on the class path.
 */
class SqsRegionMissingFailureAnalyzer implements FailureAnalyzer {

	private static final String SDK_CLIENT_EXCEPTION = "software.amazon.awssdk.core.exception.SdkClientException";

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getClass().getName().equals(SDK_CLIENT_EXCEPTION) && cause.getMessage() != null
					&& cause.getMessage().startsWith("Unable to load region")) {
				return new FailureAnalysis(
						"The SQS client has no AWS region: none is configured and the AWS SDK "
								+ "found none in its usual places (AWS_REGION, aws.region, the profile, EC2 metadata).",
						"Set 'spring.cloud.aws.region.static' (or 'spring.cloud.aws.sqs.region'), for example to "
								+ "eu-west-1. With ElasticMQ or LocalStack any region works; set "
								+ "'spring.cloud.aws.sqs.endpoint' too. Or set 'eventbus.adapter' to another adapter.",
						cause);
			}
		}
		return null;
	}

}
