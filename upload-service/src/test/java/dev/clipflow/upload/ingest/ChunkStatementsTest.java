package dev.clipflow.upload.ingest;

import dev.clipflow.upload.session.entity.UploadSession;
import dev.clipflow.upload.session.entity.UploadSessionRepository;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The chunk statements' hand-written parts: the session row's mapping, and a count that changes nothing when it does not count. */
@QuarkusTest
class ChunkStatementsTest {

    @Inject
    ChunkStatements statements;

    @Inject
    UploadSessionRepository sessions;

    @Inject
    AgroalDataSource dataSource;

    /** Every field of a session with every column set reads as Hibernate reads it (a column added later included). */
    @Test
    void aSessionRowMapsAsHibernateMapsIt() throws Exception {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UploadSession full = session(id, UploadSession.Protocol.TUS, UploadSession.State.COMPLETING);
        full.contentType = "video/mp4";
        full.sizeBytes = 12_345;
        full.sha256 = "a".repeat(64);
        full.title = "t";
        full.description = "d";
        full.category = "c";
        full.tusMetadata = "filename YWxsLm1wNA==";
        full.chunksReceived = 3;
        full.bytesReceived = 12_000;
        full.failureCode = "upload.x";
        full.failureReason = "reason";
        full.createdAt = now;
        full.updatedAt = now.plusSeconds(1);
        full.expiresAt = now.plus(Duration.ofDays(1));
        full.completedAt = now.plusSeconds(2);
        full.digestBytes = 8_192;
        full.digestState = new byte[] {1, 2, 3};
        full.fileSha256 = "b".repeat(64);
        full.duplicateOf = UUID.randomUUID();
        full.replaces = UUID.randomUUID();
        full.completionClaim = UUID.randomUUID();
        full.completionLeaseAt = now.plusSeconds(3);
        full.tusConcat = UploadSession.Concat.FINAL;
        full.concatParts = UUID.randomUUID() + " " + UUID.randomUUID();
        full.concatFinal = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> sessions.persist(full));

        UploadSession hibernate = QuarkusTransaction.requiringNew().call(() -> sessions.findById(id));
        UploadSession mapped;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select * from upload_session where id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                mapped = ChunkStatements.session(rows);
            }
        }
        int fields = 0;
        for (Field field : UploadSession.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic() || field.getName().startsWith("$$")) {
                continue; // Hibernate's enhancement adds fields of its own (and makes the columns' fields private)
            }
            field.setAccessible(true);
            assertThat(field.get(hibernate)).as("%s is set in this test", field.getName()).isNotNull();
            assertThat(field.get(mapped)).as(field.getName()).isEqualTo(field.get(hibernate));
            fields++;
        }
        assertThat(fields).isGreaterThanOrEqualTo(34);
    }

    /** A session of two 4 KiB chunks with the columns that may not be null. */
    private static UploadSession session(UUID id, UploadSession.Protocol protocol, UploadSession.State state) {
        UploadSession session = new UploadSession();
        session.id = id;
        session.videoId = UUID.randomUUID();
        session.ownerId = UUID.randomUUID();
        session.protocol = protocol;
        session.fileName = "session.mp4";
        session.sizeBytes = 8_192;
        session.chunkSize = 4_096;
        session.totalChunks = 2;
        session.state = state;
        session.quotaState = UploadSession.QuotaState.RESERVED;
        session.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        session.updatedAt = session.createdAt;
        session.expiresAt = session.createdAt.plus(Duration.ofDays(1));
        return session;
    }

    /**
     * A chunk whose session stopped uploading while it was written does not count, and its row stays as it was:
     * the count is one statement run on its own, so it must change both rows or neither (it used to rely on the
     * rollback of its transaction).
     */
    @Test
    void aCountForASessionNoLongerUploadingChangesNothing() {
        UUID id = UUID.randomUUID();
        UploadSession session = session(id, UploadSession.Protocol.CHUNKED, UploadSession.State.UPLOADING);
        QuarkusTransaction.requiringNew().run(() -> sessions.persist(session));
        UUID claim = UUID.randomUUID();
        var read = statements.readAndClaim(id, session.ownerId, UploadSession.Protocol.CHUNKED, 0, 4_096, 1 << 20, true,
                UUID.randomUUID(), claim, Instant.now()).orElseThrow();
        assertThat(read.claimed()).isTrue();
        assertThat(read.session().state).isEqualTo(UploadSession.State.UPLOADING);

        QuarkusTransaction.requiringNew().run(() -> sessions.transition(id, java.util.List.of(UploadSession.State.UPLOADING),
                UploadSession.State.ABORTED, Instant.now()));
        assertThat(statements.countChunk(id, 0, claim, 0, 4_096, "crc32c:x", null, Instant.now())).isEmpty();
        var chunk = QuarkusTransaction.requiringNew().call(() -> sessions.chunk(id, 0)).orElseThrow();
        assertThat(chunk.state()).as("the chunk's row").isEqualTo("WRITING");
        assertThat(QuarkusTransaction.requiringNew().call(() -> sessions.findById(id)).chunksReceived).isZero();

        // and one that counts changes both
        UUID other = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> sessions.transition(id, java.util.List.of(UploadSession.State.ABORTED),
                UploadSession.State.UPLOADING, Instant.now()));
        assertThat(statements.readAndClaim(id, session.ownerId, UploadSession.Protocol.CHUNKED, 1, -1, 1 << 20, true,
                UUID.randomUUID(), other, Instant.now()).orElseThrow().claimed()).isTrue();
        var counted = statements.countChunk(id, 1, other, 4_096, 4_096, "crc32c:y", null, Instant.now()).orElseThrow();
        assertThat(counted.chunksReceived()).isEqualTo(1);
        assertThat(counted.bytesReceived()).isEqualTo(4_096);
        assertThat(QuarkusTransaction.requiringNew().call(() -> sessions.chunk(id, 1)).orElseThrow().done()).isTrue();
    }
}
