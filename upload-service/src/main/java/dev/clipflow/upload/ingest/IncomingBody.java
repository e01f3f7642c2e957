package dev.clipflow.upload.ingest;

import dev.clipflow.storage.staging.ChunkBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.HttpServerRequestInternal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A chunk's or tus segment's request body, received on the event loop and read on the worker that
 * writes it. The event loop copies each network piece into blocks of {@value #BLOCK} bytes (the
 * piece goes back to Netty at once) and pauses the request while a window of full blocks waits
 * for the worker ({@code clipflow.upload.body-window}, 4 blocks by default; one block once all bodies
 * together keep {@value #SHARED_WAITING_BLOCKS} waiting); the worker reads whole
 * blocks, and resumes the request as soon as it takes one (waiting for half the window to drain
 * starved parallel uploads). So the worker is woken at most once per block instead of once per
 * network piece (the blocking {@code InputStream} of Quarkus REST fetches every piece with an
 * event-loop round trip),
 * and a request holds at most its window and two blocks, taken from a shared pool: no chunk is ever
 * held in the heap. A client that hangs up mid-body fails the next read with an {@link IOException}.
 * The worker takes the blocks either as a stream ({@link #read}) or as they are ({@link #next}: staging
 * writes them and the digests read them in place, no copy into a buffer of its own).
 * Reading starts on the first {@link #read} or {@link #next}; a body never read stays paused, as before.
 *
 * <p>On HTTP/1.1 the body's pieces are taken off the connection before Vert.x sees them ({@link Tap}, a Netty
 * handler placed in front of Vert.x's for the rest of the body): Vert.x copies every piece of a request body out
 * of Netty's pooled direct buffer into a new, zeroed heap buffer before handing it on, and here that copy, its
 * zeroing and the garbage it made were about a third of the event loop's time while uploading (perf, chunked
 * API). The tap copies each piece once, straight into the block, gives the buffer back to the pool, and holds
 * the connection back itself (auto-read) while the window is full. What Vert.x had already queued before the tap
 * was placed is taken from the request as before, in order: the tap is placed by a task that runs after the
 * one in which Vert.x hands its queue over. The end of the body still goes through Vert.x (an empty last piece
 * with any trailers), so the request ends as it always did; a piece the decoder could not parse goes to Vert.x
 * too, which fails the request.
 */
public final class IncomingBody extends InputStream implements ChunkBuffers {

    /** Bytes per block: a few network pieces, a quarter of the staging buffer. */
    static final int BLOCK = 256 * 1024;
    /** Blocks kept for reuse between requests (16 MiB at most). */
    private static final ArrayBlockingQueue<byte[]> POOL = new ArrayBlockingQueue<>(64);
    /**
     * Full blocks all bodies together may keep waiting for their workers (as many as the pool keeps, 16 MiB):
     * past it every body waits with one block at most, so many uploads at once cannot fill the heap with
     * their windows (a request then holds at most three blocks: one waiting, one filling, one being read).
     */
    static final int SHARED_WAITING_BLOCKS = 64;
    /** Full blocks waiting for their workers, over all bodies. */
    private static final java.util.concurrent.atomic.AtomicInteger WAITING = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.LongAdder TAPPED = new java.util.concurrent.atomic.LongAdder();

    private final HttpServerRequest request;
    private final Context context;
    /** Full blocks that may wait for the worker before the request is paused. */
    private final int window;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    /** Full blocks waiting for the worker (guarded by lock). */
    private final ArrayDeque<Block> full = new ArrayDeque<>();
    private boolean ended; // guarded by lock
    /** Whether the body holds the connection back (guarded by lock), and how (event loop only). */
    private boolean paused; // guarded by lock
    private boolean pausedByTap; // event loop only
    private boolean closed; // guarded by lock
    private Throwable failure; // guarded by lock
    private Block filling; // event loop only
    private Block current; // reader only
    private int position; // reader only
    private boolean started; // reader only
    /** Whether the pieces come through a {@link Tap} (HTTP/1.x); else the request is paused and resumed. */
    private final boolean tapped;
    /** The tap while it takes the body's pieces (event loop only). */
    private Tap tap;

    private IncomingBody(HttpServerRequest request, long windowBytes, boolean tap) {
        this.request = request;
        this.window = (int) Math.max(1, Math.min(64, windowBytes / BLOCK));
        if (!(request instanceof HttpServerRequestInternal internal)) {
            throw new IllegalStateException("Not a Vert.x server request: " + request.getClass());
        }
        this.context = internal.context();
        this.tapped = tap && request.connection() instanceof Http1xServerConnection;
    }

    /**
     * The body of {@code request}, which Quarkus REST keeps paused until it is read; up to
     * {@code windowBytes} of it wait for the reader before the request is paused. With {@code tap} (and HTTP/1.x)
     * its pieces are taken off the connection in front of Vert.x ({@link Tap}).
     */
    public static IncomingBody of(HttpServerRequest request, long windowBytes, boolean tap) {
        return new IncomingBody(request, windowBytes, tap);
    }

    /** Bytes the taps took off connections so far (for tests: whether a body went through one). */
    static long tappedBytes() {
        return TAPPED.sum();
    }

    private static final class Block {
        final byte[] data;
        int length;

        Block(byte[] data) {
            this.data = data;
        }
    }

    private static Block take() {
        byte[] data = POOL.poll();
        return new Block(data == null ? new byte[BLOCK] : data);
    }

    private static void recycle(Block block) {
        if (block != null) {
            POOL.offer(block.data);
        }
    }

    /**
     * Full blocks a body may keep waiting before its request is paused: its window, or one block once the bodies
     * together keep {@value #SHARED_WAITING_BLOCKS} waiting.
     */
    static int windowNow(int window, int waitingEverywhere) {
        return waitingEverywhere > SHARED_WAITING_BLOCKS ? 1 : window;
    }

    /** Full blocks waiting for their workers over all bodies now. */
    static int waitingEverywhere() {
        return WAITING.get();
    }

    // --- event loop

    private void start() {
        context.runOnContext(v -> {
            try {
                if (request.isEnded()) {
                    ended(); // an empty body, already read to its end
                    return;
                }
                request.handler(this::received);
                request.endHandler(end -> ended());
                request.exceptionHandler(this::failed);
                if (request.response().closed()) {
                    // the client hung up before this handler was there to hear it: Vert.x tells a closed
                    // connection to the handlers set at that moment only, so nobody else would ever wake the reader
                    failed(new IOException("The client closed the connection before the body was read"));
                    return;
                }
                if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
                    request.response().writeContinue();
                }
                request.resume();
                // Vert.x hands what it queued while the request was paused over in a task of its own, queued by
                // resume(): the tap goes in after it, so every byte comes in order
                if (tapped) {
                    context.runOnContext(placed -> placeTap());
                }
            } catch (RuntimeException e) {
                failed(e);
            }
        });
    }

    /** Puts the {@link Tap} in front of Vert.x's handler, on HTTP/1.x while the body still arrives. */
    private void placeTap() {
        boolean going;
        lock.lock();
        try {
            going = !ended && !closed && failure == null;
        } finally {
            lock.unlock();
        }
        if (!going || request.isEnded()) {
            return;
        }
        ChannelHandlerContext vertx = ((Http1xServerConnection) request.connection()).channelHandlerContext();
        if (!vertx.channel().isActive()) {
            return;
        }
        tap = new Tap();
        vertx.pipeline().addBefore(vertx.name(), null, tap);
        lock.lock();
        try {
            if (full.size() >= windowNow(window, WAITING.get()) && !paused) {
                paused = true; // the pieces Vert.x had queued filled the window already
                pauseConnection();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the body's pieces off the connection in front of Vert.x's handler, from its placing to the body's end.
     * Event loop only.
     */
    private final class Tap extends ChannelInboundHandlerAdapter {
        private boolean dropping;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof HttpContent content) || content.decoderResult().isFailure()) {
                remove(ctx); // not a piece of this body (or one the decoder failed on): Vert.x handles it
                ctx.fireChannelRead(message);
                return;
            }
            try {
                if (!dropping) {
                    TAPPED.add(content.content().readableBytes());
                    received(content.content());
                }
            } finally {
                if (content instanceof LastHttpContent last) {
                    remove(ctx);
                    ctx.fireChannelRead(last.trailingHeaders().isEmpty() ? LastHttpContent.EMPTY_LAST_CONTENT
                            : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, last.trailingHeaders()));
                }
                content.release();
            }
        }

        /** From now on the pieces are dropped (a body closed before its end). */
        void drop() {
            dropping = true;
        }

        private void remove(ChannelHandlerContext ctx) {
            if (tap == this) {
                tap = null;
                ctx.pipeline().remove(this);
            }
        }
    }

    private void received(Buffer piece) {
        received(piece.getByteBuf());
    }

    /** Copies a piece into the blocks, publishing each one that is full. Event loop. */
    private void received(ByteBuf piece) {
        int length = piece.readableBytes();
        int from = piece.readerIndex();
        int at = 0;
        while (at < length) {
            if (filling == null) {
                filling = take();
            }
            int n = Math.min(length - at, BLOCK - filling.length);
            piece.getBytes(from + at, filling.data, filling.length, n);
            filling.length += n;
            at += n;
            if (filling.length == BLOCK) {
                Block block = filling;
                filling = null;
                publish(block, false);
            }
        }
    }

    /**
     * Whether the body may hold the connection back now: always without a tap; with one only once it is placed.
     * Before that, pausing the request would keep what Vert.x still has queued from coming before the tap's pieces;
     * the tap holds the connection back as it is placed (at most one read of the connection arrives in between).
     */
    private boolean mayPause() {
        return !tapped || tap != null;
    }

    /** Holds the connection back: through the tap with auto-read, without one by pausing the request. */
    private void pauseConnection() {
        pausedByTap = tapped;
        if (tapped) {
            channel().config().setAutoRead(false);
        } else {
            request.pause();
        }
    }

    /** Lets the connection read on after {@link #pauseConnection}. Event loop. */
    private void resumeConnection() {
        if (pausedByTap) {
            pausedByTap = false;
            channel().config().setAutoRead(true);
        } else if (!tapped) {
            request.resume();
        }
    }

    private Channel channel() {
        return ((Http1xServerConnection) request.connection()).channel();
    }

    private void ended() {
        Block last = filling;
        filling = null;
        publish(last, true);
    }

    private void publish(Block block, boolean end) {
        lock.lock();
        try {
            if (closed) {
                recycle(block);
                return;
            }
            if (block != null && block.length > 0) {
                full.add(block);
                WAITING.incrementAndGet();
            } else {
                recycle(block);
            }
            ended |= end;
            if (!end && mayPause() && full.size() >= windowNow(window, WAITING.get()) && !paused) {
                paused = true;
                pauseConnection();
            }
            ready.signal();
        } finally {
            lock.unlock();
        }
    }

    private void failed(Throwable error) {
        lock.lock();
        try {
            if (failure == null && !ended && !closed) {
                failure = error;
            }
            ready.signal();
        } finally {
            lock.unlock();
        }
    }

    // --- worker

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (current == null || position == current.length) {
            giveBackCurrent();
            current = awaitBlock();
            position = 0;
            if (current == null) {
                return -1;
            }
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current.data, position, buffer, offset, n);
        position += n;
        return n;
    }

    /**
     * The next block as it is (no copy into the caller's array): staging writes it and the digests
     * read it in place. Valid until the next call, which gives the block back to the pool.
     */
    @Override
    public ByteBuffer next() throws IOException {
        if (current != null && position < current.length) { // the rest of a block partly read as a stream
            ByteBuffer rest = ByteBuffer.wrap(current.data, position, current.length - position);
            position = current.length;
            return rest;
        }
        giveBackCurrent();
        current = awaitBlock();
        if (current == null) {
            return null;
        }
        position = current.length;
        return ByteBuffer.wrap(current.data, 0, current.length);
    }

    /**
     * Starts receiving now, before the first read: the window fills while the caller does something else first
     * (claims the chunk), so the first block is there when writing begins. A body started and then not read to its
     * end is received and dropped when it closes ({@link #close}), so call it only for a body that is usually read.
     * A client that sent {@code Expect: 100-continue} waits for the go-ahead before it sends the body, so that a
     * request turned down costs no body: its body is asked for on the first read only, as before.
     */
    public IncomingBody prefetch() {
        if (!"100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            begin();
        }
        return this;
    }

    private void begin() {
        if (!started) {
            started = true;
            start();
        }
    }

    /**
     * Gives the block last read back to the pool and forgets it, before the next is awaited: when that wait fails
     * (the client hung up), {@link #close} must not give the same block back a second time, or two bodies would
     * later fill one array at once.
     */
    private void giveBackCurrent() {
        Block done = current;
        current = null;
        recycle(done);
    }

    private Block awaitBlock() throws IOException {
        begin();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IOException("The request body was closed");
                }
                Block block = full.poll();
                if (block != null) {
                    WAITING.decrementAndGet();
                    if (paused) { // a block is free again: at once, or the reader starves while the client refills
                        paused = false;
                        context.runOnContext(v -> resumeConnection());
                    }
                    return block;
                }
                if (failure != null) {
                    throw new IOException("The request body was cut off", failure);
                }
                if (ended) {
                    return null;
                }
                ready.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives the blocks back; the rest of a body that was started but not read to its end is
     * received and dropped, so the connection can carry the answer and the next request.
     */
    @Override
    public void close() {
        boolean drain;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            WAITING.addAndGet(-full.size());
            full.forEach(IncomingBody::recycle);
            full.clear();
            drain = started && !ended && failure == null;
            ready.signal();
        } finally {
            lock.unlock();
        }
        giveBackCurrent();
        if (started) {
            context.runOnContext(v -> {
                recycle(filling);
                filling = null;
                if (drain) {
                    request.handler(piece -> {
                    });
                    request.resume();
                    if (tap != null) {
                        tap.drop();
                    }
                }
                if (tapped) {
                    resumeConnection(); // the connection reads on: the rest is dropped, the next request comes
                }
            });
        }
    }
}
