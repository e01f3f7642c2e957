package dev.clipflow.messaging;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every meter of every service carries {@code application="<quarkus.application.name>"}, so alerts
 * and dashboards select a service's series the same way whatever the scrape configuration adds
 * (ServiceMonitor, pod annotations, the local stack). Lives here because every service has this module.
 */
@Singleton
public class ApplicationMeterTag {

    @Produces
    @Singleton
    MeterFilter applicationTag(@ConfigProperty(name = "quarkus.application.name") String application) {
        return MeterFilter.commonTags(Tags.of("application", application));
    }
}
