package io.yibao.gateway.sftp;

import io.yibao.adapter.Adapters;
import io.yibao.gateway.batch.BatchIntake;
import io.yibao.gateway.batch.BatchProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The SFTP server of the batch drop area, on only when {@code yibao.sftp.enabled=true}; it needs the drop
 * area ({@code yibao.batch.drop-dir}), whose route takes what institutions upload.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "yibao.sftp", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(SftpProperties.class)
public class SftpConfiguration {

    @Bean
    DropAreaPolicy dropAreaPolicy(BatchIntake intake, Adapters adapters) {
        return new DropAreaPolicy(intake, adapters);
    }

    @Bean
    DropAreaSftpServer dropAreaSftpServer(SftpProperties properties, BatchProperties batch, DropAreaPolicy policy) {
        if (batch.getDropDir() == null) {
            throw new IllegalStateException("yibao.sftp.enabled=true needs yibao.batch.drop-dir: the SFTP server writes into the drop area");
        }
        return new DropAreaSftpServer(properties, batch.getDropDir(), policy);
    }
}
