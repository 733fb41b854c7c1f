package dev.eventbus.autoconfigure.sqs;

import java.util.Set;

import io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that makes the {@link SqsAsyncClient},
 * {@code SqsTemplate} and default listener container factory of Spring Cloud AWS's
 * {@link SqsAutoConfiguration} lazy. The starter brings
 * Spring Cloud AWS SQS so that switching {@code eventbus.adapter} to {@code sqs} is a property
 * change; without this, every application using the starter would need an AWS region even when
 * it never talks to SQS. The client is built on first use: by the SQS adapter at start-up when
 * {@code eventbus.adapter=sqs}, by an {@code @SqsListener} container or an injection point
 * otherwise. Beans the application defines itself are left alone.
 */
@AutoConfiguration(before = SqsAutoConfiguration.class)
@ConditionalOnClass({ SqsAutoConfiguration.class, SqsAsyncClient.class })
public final class LazySqsClientAutoConfiguration {

	@Bean
	static BeanFactoryPostProcessor lazySqsClientBeanFactoryPostProcessor() {
		return new LazySqsClientBeanFactoryPostProcessor();
	}

	/**
	 * Marks the client, template and container factory bean definitions of
	 * {@link SqsAutoConfiguration} lazy.
	 */
	static final class LazySqsClientBeanFactoryPostProcessor implements BeanFactoryPostProcessor {

		private static final String SQS_AUTO_CONFIGURATION = SqsAutoConfiguration.class.getName();

		private static final Set<String> LAZY_FACTORY_METHODS = Set.of("sqsAsyncClient", "sqsTemplate",
				"defaultSqsListenerContainerFactory");

		@Override
		public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
			for (String name : beanFactory.getBeanDefinitionNames()) {
				BeanDefinition definition = beanFactory.getBeanDefinition(name);
				String factoryBean = definition.getFactoryBeanName();
				if (factoryBean != null && factoryBean.startsWith(SQS_AUTO_CONFIGURATION)
						&& LAZY_FACTORY_METHODS.contains(definition.getFactoryMethodName())) {
					definition.setLazyInit(true);
				}
			}
		}

	}

}
