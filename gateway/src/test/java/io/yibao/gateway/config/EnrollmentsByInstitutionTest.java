package io.yibao.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yibao.adapter.Adapters;
import io.yibao.gateway.config.GatewayProperties.Enrollment;
import io.yibao.gateway.ingress.EnrollmentRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@code yibao.enrollments} is keyed by institution code, so an override adds an institution beside the configured
 * ones instead of replacing them all (as Spring Boot does with a list), whether it comes as a command-line argument or
 * as an environment variable (whose key arrives in lower case); an enrollment naming an adapter the gateway does not
 * have, or sending for something that is not an institution code, stops it at start-up.
 */
class EnrollmentsByInstitutionTest {

    /** As application.yaml has them (two of them). */
    private static final ConfigurationPropertySource CONFIGURED = new MapConfigurationPropertySource(Map.of(
            "yibao.enrollments.H11010500001.adapters[0]", "hospital-hl7v2",
            "yibao.enrollments.P11010500002.adapters[0]", "pharmacy-csv"));

    @Test
    void aCommandLineArgumentAddsAnInstitutionBesideTheConfiguredOnes() {
        ConfigurationPropertySource commandLine = source(new MapPropertySource("commandLineArgs",
                Map.of("yibao.enrollments.P44030500007.adapters", "pharmacy-p44030500007")));

        Map<String, Enrollment> enrolled = bind(commandLine, CONFIGURED).enrollmentsByInstitution();

        assertThat(enrolled).containsOnlyKeys("H11010500001", "P11010500002", "P44030500007");
        assertThat(enrolled.get("P44030500007").getAdapters()).containsExactly("pharmacy-p44030500007");
        assertThat(enrolled.get("H11010500001").getAdapters()).containsExactly("hospital-hl7v2");
    }

    @Test
    void anEnvironmentVariableAddsAnInstitutionUnderItsCodeInUpperCase() {
        ConfigurationPropertySource environment = source(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("YIBAO_ENROLLMENTS_P44030500007_ADAPTERS", "pharmacy-p44030500007")));

        Map<String, Enrollment> enrolled = bind(environment, CONFIGURED).enrollmentsByInstitution();

        assertThat(enrolled).containsOnlyKeys("H11010500001", "P11010500002", "P44030500007");
        assertThat(enrolled.get("P44030500007").getAdapters()).containsExactly("pharmacy-p44030500007");
    }

    @Test
    void aKeyThatIsNotAnInstitutionCodeIsNamedWithItsProperty() {
        ConfigurationPropertySource typo = new MapConfigurationPropertySource(Map.of("yibao.enrollments.P4403050007.adapters[0]", "x"));

        assertThatThrownBy(() -> bind(typo).enrollmentsByInstitution())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("yibao.enrollments.P4403050007: 'P4403050007' is not an institution code");
    }

    @Test
    void theSameCodeInTwoCasesIsEnrolledTwice() {
        GatewayProperties properties = new GatewayProperties();
        properties.setEnrollments(Map.of("P44030500007", new Enrollment(), "p44030500007", new Enrollment()));

        assertThatThrownBy(properties::enrollmentsByInstitution)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("yibao.enrollments: institution P44030500007 is enrolled twice");
    }

    @Test
    void anEnrollmentForAnAdapterTheGatewayDoesNotHaveStopsItNamingThePropertyAndTheAdaptersItHas() {
        GatewayProperties properties = bind(new MapConfigurationPropertySource(Map.of(
                "yibao.enrollments.P44030500007.adapters[0]", "pharmacy-p4403050007"))); // a digit short

        assertThatThrownBy(() -> new EnrollmentRegistry(properties, Adapters.discover()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("yibao.enrollments.P44030500007.adapters: no adapter 'pharmacy-p4403050007' in this gateway;"
                        + " it has [")
                .hasMessageContaining("pharmacy-csv");
    }

    @Test
    void sendingForSomethingThatIsNotAnInstitutionCodeStopsItNamingTheProperty() {
        GatewayProperties properties = bind(new MapConfigurationPropertySource(Map.of(
                "yibao.enrollments.H11010500001.adapters[0]", "hospital-hl7v2",
                "yibao.enrollments.H11010500001.sends-for[0]", "H1101050002"))); // a digit short

        assertThatThrownBy(() -> new EnrollmentRegistry(properties, Adapters.discover()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("yibao.enrollments.H11010500001.sends-for: 'H1101050002' is not an institution code");
    }

    private static ConfigurationPropertySource source(org.springframework.core.env.PropertySource<?> source) {
        return ConfigurationPropertySources.from(source).iterator().next();
    }

    /** Binds as Spring Boot does: the sources in order of precedence, the first highest. */
    private static GatewayProperties bind(ConfigurationPropertySource... sources) {
        return new Binder(List.of(sources)).bindOrCreate("yibao", GatewayProperties.class);
    }
}
