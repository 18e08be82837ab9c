package io.yibao.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.ha.ReplicaPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.ReplicatedPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The external brokers an operator deploys ({@code docker/artemis/broker-*.xml}) hold the same queues with the same
 * address settings (dead-letter and expiry addresses, delivery attempts, redelivery delay, paging...) and the same
 * disk limit and journal as the embedded broker the single node runs, which Spring Boot builds from
 * {@code application.yaml}: a queue or setting added to one and not the other fails here.
 */
class ExternalBrokerMatchesEmbeddedBrokerTest {
    private static final Path FILES = Path.of("..", "docker", "artemis").toAbsolutePath().normalize();

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"broker-primary.xml", "broker-backup.xml"})
    void theExternalBrokerDeclaresTheEmbeddedBrokersQueuesAndSettings(String file) throws Exception {
        Configuration external = parse(file);
        new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withConfiguration(AutoConfigurations.of(ArtemisAutoConfiguration.class))
                .withPropertyValues("spring.artemis.embedded.data-directory=" + dataDirectory)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Configuration embedded = context.getBean(EmbeddedActiveMQ.class).getActiveMQServer().getConfiguration();
                    assertThat(queues(external)).as("addresses and their queues").isEqualTo(queues(embedded));
                    assertThat(external.getAddressSettings()).as("address settings").isEqualTo(embedded.getAddressSettings());
                    assertThat(external.getMaxDiskUsage()).as("max-disk-usage").isEqualTo(embedded.getMaxDiskUsage());
                    assertThat(external.isPersistenceEnabled()).as("persistence").isEqualTo(embedded.isPersistenceEnabled()).isTrue();
                    assertThat(external.getJournalType()).as("journal type").isEqualTo(embedded.getJournalType());
                });
    }

    @Test
    void thePairReplicatesAndOnlyTheGatewaysRoleMaySendAndConsume() throws Exception {
        assertThat(parse("broker-primary.xml").getHAPolicyConfiguration()).isInstanceOf(ReplicatedPolicyConfiguration.class);
        Configuration backup = parse("broker-backup.xml");
        assertThat(backup.getHAPolicyConfiguration()).isInstanceOf(ReplicaPolicyConfiguration.class);
        assertThat(backup.isSecurityEnabled()).isTrue();
        assertThat(backup.getSecurityRoles().get("#")).extracting(role -> role.getName() + ":" + role.isSend() + role.isConsume()
                + role.isCreateAddress() + role.isDeleteAddress()).containsExactly("amq:truetruefalsefalse");
    }

    /** Address name → its routing types and queues, comparable across the two ways of declaring them. */
    private static Map<String, String> queues(Configuration configuration) {
        return configuration.getAddressConfigurations().stream().collect(Collectors.toMap(CoreAddressConfiguration::getName,
                address -> address.getRoutingTypes() + " " + address.getQueueConfigs().stream()
                        .map(queue -> queue.getName() + "/" + queue.getRoutingType()).sorted().toList(),
                (a, b) -> a + b, TreeMap::new));
    }

    /** Parses a deployment file as the broker does, its placeholders set as {@code BrokerPair} sets them. */
    private static Configuration parse(String file) throws Exception {
        Map<String, String> placeholders = Map.of("artemis.instance.etc", FILES.toString(), "YIBAO_BROKER_HOST", "127.0.0.1",
                "YIBAO_BROKER_PEER_HOST", "127.0.0.1", "ARTEMIS_CLUSTER_PASSWORD", "secret", "YIBAO_BROKER_KEY_STORE", "broker-tls.p12",
                "YIBAO_BROKER_TRUST_STORE", "truststore.p12", "YIBAO_BROKER_STORE_PASSWORD", "secret");
        placeholders.forEach(System::setProperty);
        try {
            FileConfiguration configuration = new FileConfiguration();
            FileDeploymentManager deployment = new FileDeploymentManager(FILES.resolve(file).toUri().toString());
            deployment.addDeployable(configuration);
            deployment.readConfiguration();
            return configuration;
        } finally {
            placeholders.keySet().forEach(System::clearProperty);
        }
    }
}
