package io.yibao.gateway.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.yibao.gateway.ingress.InboundReception.Accepted;
import io.yibao.gateway.ingress.InboundReception.Duplicate;
import io.yibao.gateway.ingress.InboundReception.Refused;
import io.yibao.gateway.ingress.InboundReception.Result;
import io.yibao.gateway.pipeline.Outcomes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A file found in the drop area. The directory is the identity: {@code <drop>/<institution>/<adapter>/incoming/<name>}
 * comes from that institution for that adapter (docs/security.md: the area's permissions, or an SFTP account
 * chrooted to the institution's directory, make it so); enrollment still applies. Accepted files move into the
 * spool; a refused file moves to {@code refused/} with its {@code <name>.report.json}; a file sent before is not
 * kept (its bytes are the first batch's) and {@code done/<name>.report.json} names the first batch.
 */
@Service
public class BatchFileDrop {
    private static final Logger log = LoggerFactory.getLogger(BatchFileDrop.class);

    private final BatchIntake intake;
    private final Path dropRoot;
    private final ObjectMapper json;

    public BatchFileDrop(BatchIntake intake, BatchProperties properties, ObjectMapper json) {
        this.intake = intake;
        this.dropRoot = properties.getDropDir() == null ? null : properties.getDropDir().toAbsolutePath().normalize();
        this.json = json;
    }

    public void accept(String absolutePath) throws IOException {
        Path file = Path.of(absolutePath).toAbsolutePath().normalize();
        Path relative = dropRoot.relativize(file);
        if (relative.getNameCount() != 4 || !relative.getName(2).toString().equals("incoming")) {
            return;
        }
        String institution = relative.getName(0).toString();
        String adapter = relative.getName(1).toString();
        Path dropDir = dropRoot.resolve(institution).resolve(adapter);
        Result result = intake.dropped(institution, adapter, file, dropDir);
        if (result instanceof Refused refused) {
            log.info("dropped file refused for {} / {}: {}", institution, adapter, refused.rule());
            setAside(file, dropDir.resolve("refused"), Outcomes.refusal(refused.type(), refused.rule(), refused.message(), refused.messageZh()));
        } else if (result instanceof Duplicate duplicate) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("duplicateOf", duplicate.firstId());
            report.put("statusUrl", "/api/v1/batches/" + duplicate.firstId());
            setAside(file, dropDir.resolve("done"), json.writeValueAsString(report));
        } else if (result instanceof Accepted accepted) {
            log.info("dropped file for {} / {} taken as batch {}", institution, adapter, accepted.id());
        }
    }

    private static void setAside(Path file, Path directory, String report) throws IOException {
        Files.createDirectories(directory);
        String name = file.getFileName().toString();
        Path target = directory.resolve(name);
        if (Files.exists(target)) {
            name = name + "." + System.currentTimeMillis();
            target = directory.resolve(name);
        }
        Files.writeString(directory.resolve(name + ".report.json"), report, StandardCharsets.UTF_8);
        if (Files.exists(file)) {
            Files.move(file, target);
        }
    }
}
