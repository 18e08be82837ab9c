package io.yibao.adapter.iso20022;

import io.yibao.adapter.Envelope;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The envelope of a one-entry camt document read with StAX, without Prowide: the entry's bank serial
 * ({@code Ntry/AcctSvcrRef}, the key of a record sent again) and the account servicer's institution code
 * ({@code Acct/Svcr/FinInstnId/Othr/Id}). {@code GrpHdr/MsgId} is not the message id: every record of a
 * file carries the same one.
 */
final class CamtEnvelope {
    private CamtEnvelope() {}

    static Envelope read(byte[] payload) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        String serial = null;
        String servicer = null;
        Deque<String> path = new ArrayDeque<>();
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(payload));
            try {
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        path.addLast(reader.getLocalName());
                        String at = String.join("/", path);
                        if (serial == null && at.matches("Document/\\w+/(Ntfctn|Stmt)/Ntry/AcctSvcrRef")) {
                            serial = reader.getElementText().trim();
                            path.removeLast();
                        } else if (servicer == null && at.matches("Document/\\w+/(Ntfctn|Stmt)/Acct/Svcr/FinInstnId/Othr/Id")) {
                            servicer = reader.getElementText().trim();
                            path.removeLast();
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        path.removeLast();
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            // Unreadable: translation reports why; the envelope stays as far as it was read.
        }
        return new Envelope(Optional.ofNullable(serial).filter(s -> !s.isEmpty()), Optional.ofNullable(servicer).filter(s -> !s.isEmpty()));
    }
}
