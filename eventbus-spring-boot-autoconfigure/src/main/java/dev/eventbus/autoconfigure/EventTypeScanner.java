package dev.eventbus.autoconfigure;

import java.util.Collection;

import dev.eventbus.api.EventType;
import dev.eventbus.codec.EventTypeRegistry;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link EventType @EventType} classes of the application's packages at
 * start-up and registers them, so that a handler of a supertype gets every subtype the
 * application declares, published or not.
 */
final class EventTypeScanner {

	private final ClassPathScanningCandidateComponentProvider scanner;

	private final ClassLoader classLoader;

	EventTypeScanner(Environment environment, ResourceLoader resourceLoader) {
		this.scanner = new ClassPathScanningCandidateComponentProvider(false, environment);
		this.scanner.setResourceLoader(resourceLoader);
		this.scanner.addIncludeFilter(new AnnotationTypeFilter(EventType.class));
		this.classLoader = (resourceLoader.getClassLoader() != null) ? resourceLoader.getClassLoader()
				: ClassUtils.getDefaultClassLoader();
	}

	/**
	 * Register the {@code @EventType} classes of some packages, their subpackages
	 * included.
	 * @param packages the packages
	 * @return the registry
	 */
	EventTypeRegistry scan(Collection<String> packages) {
		EventTypeRegistry registry = new EventTypeRegistry();
		for (String basePackage : packages) {
			for (BeanDefinition candidate : this.scanner.findCandidateComponents(basePackage)) {
				String className = candidate.getBeanClassName();
				if (className != null) {
					registry.register(ClassUtils.resolveClassName(className, this.classLoader));
				}
			}
		}
		return registry;
	}

}
