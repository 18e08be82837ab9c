package io.yibao.adapter.iso20022;

import com.google.common.collect.AbstractIterator;
import io.yibao.adapter.BatchRecord;
import io.yibao.adapter.RecordStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLEventFactory;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLEventWriter;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.events.StartElement;
import javax.xml.stream.events.XMLEvent;

/**
 * The entries ({@code Ntry}) of a camt.054/camt.053 file, streamed one by one with StAX, each as a
 * self-contained camt document of the same message type: the file's {@code GrpHdr}, the header elements of
 * its {@code Ntfctn}/{@code Stmt} ({@code Id}, {@code CreDtTm}, {@code Acct}, …) and that one entry, in
 * UTF-8 whatever the file's encoding. Left out of each piece: the other entries and the report-level
 * figures that hold only for the whole report ({@code Bal}, {@code TxsSummry}, which the file check
 * verifies) and anything after the last entry ({@code AddtlNtfctnInf}/{@code AddtlStmtInf}). Only the
 * entry being read and the small header are held in memory.
 */
final class CamtEntryRecords extends AbstractIterator<BatchRecord> implements RecordStream {
    /** Content type of a record payload: a camt document holding exactly one entry. */
    static final String CONTENT_TYPE = "application/vnd.yibao.camt-entry+xml";
    private static final List<String> REPORT_FIGURES = List.of("Bal", "TxsSummry");

    private final InputStream in;
    private final XMLEventReader reader;
    private final XMLEventFactory events = XMLEventFactory.newFactory();
    private final XMLOutputFactory output = XMLOutputFactory.newFactory();
    private final List<XMLEvent> documentHeader = new ArrayList<>();
    private final List<XMLEvent> reportHeader = new ArrayList<>();
    private final Deque<StartElement> open = new ArrayDeque<>();
    private final Deque<Map<String, Integer>> childCounts = new ArrayDeque<>();
    private final Deque<String> path = new ArrayDeque<>();
    private long number;
    private boolean inReport;
    private boolean entriesStarted;

    CamtEntryRecords(InputStream in) throws IOException {
        this.in = in;
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            reader = factory.createXMLEventReader(in);
        } catch (XMLStreamException e) {
            throw new IOException("cannot read the camt file: " + e.getMessage(), e);
        }
        childCounts.push(new HashMap<>());
    }

    @Override
    protected BatchRecord computeNext() {
        try {
            BatchRecord record = advance();
            return record != null ? record : endOfData();
        } catch (XMLStreamException e) {
            throw new UncheckedIOException(new IOException("camt file not readable after record " + number + ": " + e.getMessage(), e));
        }
    }

    /** Reads up to the end of the next entry and returns it as a record; null at the end of the file. */
    private BatchRecord advance() throws XMLStreamException {
        while (reader.hasNext()) {
            XMLEvent event = reader.nextEvent();
            if (event.isStartElement()) {
                StartElement start = event.asStartElement();
                String name = start.getName().getLocalPart();
                int index = childCounts.peek().merge(name, 1, Integer::sum);
                childCounts.push(new HashMap<>());
                open.push(start);
                boolean report = open.size() == 3 && (name.equals("Ntfctn") || name.equals("Stmt"));
                path.addLast(report || open.size() == 4 && name.equals("Ntry") ? name + "[" + index + "]" : name);
                if (report) {
                    inReport = true;
                    entriesStarted = false;
                    reportHeader.clear();
                    reportHeader.add(start);
                } else if (inReport && open.size() == 4 && name.equals("Ntry")) {
                    entriesStarted = true;
                    return entry(start);
                } else if (inReport && open.size() == 4 && (REPORT_FIGURES.contains(name) || entriesStarted)) {
                    skipSubtree();
                } else {
                    (inReport ? reportHeader : documentHeader).add(event);
                }
            } else if (event.isEndElement()) {
                open.pop();
                childCounts.pop();
                path.removeLast();
                if (open.size() == 2 && inReport) {
                    inReport = false;
                } else if (inReport) {
                    reportHeader.add(event);
                } else if (open.size() < 2) {
                    return null;
                } else {
                    documentHeader.add(event);
                }
            } else if (event.isCharacters() && !open.isEmpty()) {
                if (!(inReport && entriesStarted)) {
                    (inReport ? reportHeader : documentHeader).add(event);
                }
            }
        }
        return null;
    }

    private void skipSubtree() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            XMLEvent event = reader.nextEvent();
            if (event.isStartElement()) {
                depth++;
            } else if (event.isEndElement()) {
                depth--;
            }
        }
        open.pop();
        childCounts.pop();
        path.removeLast();
    }

    /** The entry starting at {@code start}, read to its end, written as a camt document of its own. */
    private BatchRecord entry(StartElement start) throws XMLStreamException {
        String location = "/" + String.join("/", path);
        List<XMLEvent> entry = new ArrayList<>();
        entry.add(start);
        String servicerReference = null;
        int depth = 1;
        boolean inReference = false;
        StringBuilder reference = new StringBuilder();
        while (depth > 0) {
            XMLEvent event = reader.nextEvent();
            entry.add(event);
            if (event.isStartElement()) {
                depth++;
                inReference = depth == 2 && event.asStartElement().getName().getLocalPart().equals("AcctSvcrRef");
            } else if (event.isEndElement()) {
                if (inReference) {
                    servicerReference = reference.toString().trim();
                    inReference = false;
                }
                depth--;
            } else if (event.isCharacters() && inReference) {
                reference.append(event.asCharacters().getData());
            }
        }
        open.pop();
        childCounts.pop();
        path.removeLast();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        XMLEventWriter writer = output.createXMLEventWriter(bytes, "UTF-8");
        writer.add(events.createStartDocument("UTF-8", "1.0"));
        for (XMLEvent event : documentHeader) {
            writer.add(event);
        }
        for (XMLEvent event : reportHeader) {
            writer.add(event);
        }
        for (XMLEvent event : entry) {
            writer.add(event);
        }
        for (StartElement element : open) {
            writer.add(events.createEndElement(element.getName(), null));
        }
        writer.add(events.createEndDocument());
        writer.close();
        number++;
        return new BatchRecord(number, location, bytes.toByteArray(), CONTENT_TYPE,
                Optional.ofNullable(servicerReference).filter(s -> !s.isEmpty()));
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        } finally {
            in.close();
        }
    }
}
