/**
 * The Raft consensus core: a pure, deterministic, single-threaded state machine modelled on etcd's
 * raft library (RawNode + raft + unstable log + progress tracker). It does no I/O, reads no clock
 * and starts no threads; time exists only as {@link io.raftkv.raft.RaftNode#tick() ticks} and
 * randomness only from the injected {@link java.util.random.RandomGenerator}. Given the same inputs
 * and seed it produces the same outputs, which is what makes the seeded simulator possible.
 *
 * <h2>Inputs</h2>
 * <ul>
 *   <li>{@code tick()} — one unit of logical time (elections, heartbeats, CheckQuorum, lease).</li>
 *   <li>{@code step(Message)} — a message from a peer.</li>
 *   <li>{@code propose}, {@code proposeConfChange}, {@code readIndex}, {@code transferLeadership},
 *       {@code campaign} — local requests; refusals are {@link io.raftkv.raft.ProposalRejectedException}s
 *       with a reason and a leader hint.</li>
 *   <li>{@code reportUnreachable}, {@code reportSnapshot}, {@code onCompacted} — feedback from the
 *       driver about delivery, snapshot streaming and log compaction.</li>
 * </ul>
 * As in etcd's RawNode, {@code campaign}, {@code reportUnreachable} and {@code reportSnapshot} (and the
 * election timer) are thin wrappers: each builds a local message ({@code HUP}, {@code UNREACHABLE},
 * {@code SNAPSHOT_STATUS}, see {@link io.raftkv.raft.MessageType#LOCAL}) and feeds it to the core's
 * one {@code step}, which decides what happens. Local messages never travel: the public
 * {@code step(Message)} refuses them, and the wire codec has no code for them.
 * Durable state is read through {@link io.raftkv.raft.LogView}; the core never writes it.
 *
 * <h2>Ready / advance</h2>
 * The driver loops: feed inputs; {@code if (node.hasReady()) { rd = node.ready(); ...; node.advance(rd); }}.
 * {@code hasReady()} only looks (it may be called any number of times); the leader's batched sends
 * are made when {@code ready()} is called.
 * For each {@link io.raftkv.raft.Ready}, in this order:
 * <ol>
 *   <li>install {@code rd.snapshot()} if non-null (restore the state machine from the snapshot bytes
 *       that came with the SNAPSHOT message, and reset the durable log to it);</li>
 *   <li>persist {@code rd.entries()} (replacing any conflicting suffix) and {@code rd.hardState()}
 *       atomically; fsync if {@code rd.mustSync()};</li>
 *   <li>send {@code rd.messages()} — a leader's APPEND/HEARTBEAT may go before step 2 finishes
 *       ({@link io.raftkv.raft.Ready#maySendBeforePersist}); everything else only after, because
 *       votes and acknowledgements promise durable state;</li>
 *   <li>apply {@code rd.committedEntries()} in order (bounded per Ready by
 *       {@code maxCommittedBytesPerReady}), then serve {@code rd.readStates()} whose index is applied;</li>
 *   <li>call {@code advance(rd)} before the next {@code ready()}.</li>
 * </ol>
 * The leader counts its own entries toward the commit quorum only after {@code advance} (they are
 * durable then), so a leader's fsync runs in parallel with its followers'. After a restart
 * {@link io.raftkv.raft.RaftConfig#appliedIndex()} says where applying resumes; it must be at least
 * the log's snapshot index.
 *
 * <h2>Bootstrap</h2>
 * When the {@code LogView} is completely empty and a non-empty bootstrap {@code ConfState} is given,
 * the core writes identical entries on every initial member: one CONF_CHANGE (ADD_VOTER, then
 * ADD_LEARNER) per member in ascending id order, at term 1, indexes 1..n, already committed. The
 * cluster therefore describes itself in its log: a node that joins later starts with an empty log
 * and an EMPTY bootstrap, never campaigns, and learns the membership from the leader's entries or
 * snapshot. A restarted node ignores {@code bootstrap}: membership = snapshot conf + the CONF_CHANGE
 * entries after it.
 *
 * <h2>Membership changes</h2>
 * Single-server changes (ADD_VOTER, which also promotes a learner; ADD_LEARNER; REMOVE_NODE),
 * effective as soon as the entry is appended to a node's log — on the leader at propose, on a
 * follower when the entry arrives — and recomputed if the entry is truncated away (Raft thesis §4.1).
 * We chose this over joint consensus because any two majorities of configurations that differ by
 * one server overlap, so one change at a time is safe with a single entry, and it is far simpler to
 * get right and to test. Its known pitfall (Ongaro, raft-dev 2015) is closed by the admission rules:
 * at most one uncommitted conf change, and a leader must first commit an entry of its own term
 * (its no-op). A leader that removes itself keeps replicating without counting itself until the
 * change commits, then hands off (TIMEOUT_NOW to an up-to-date voter) and steps down. Removed members
 * keep receiving appends and heartbeats until they acknowledged a heartbeat that told them the removal
 * committed (or stayed silent for an election timeout), so they learn it and stop campaigning. The
 * driver must keep delivering to a removed member as long as {@code Status.progress()} lists it:
 * closing its connection when the removal is applied would drop the very message that carries the
 * commit (the node's {@code MemberRegistry} keeps it open until then, bounded by a grace period).
 * Liveness rule: a node whose own removal is in its log but not committed is still a voter of the
 * committed configuration and may hold the only copy of that entry, so it may still campaign; if it
 * wins (with votes of the new configuration) it leads without counting itself until the removal
 * commits, then steps down as above.
 * Learners receive the log but never campaign and are never counted in any quorum. Demoting a voter
 * to learner is not supported (remove, then add as learner). {@code Ready.confState} is set whenever
 * the effective membership changes (and in the first Ready).
 *
 * <h2>Elections</h2>
 * Randomized timeout in [electionTicks, 2·electionTicks); PreVote (the term is raised only after a
 * majority says it would vote); CheckQuorum (a leader that has not heard from a majority within an
 * election timeout steps down, and a node that heard from a live leader within the election timeout
 * ignores (pre-)votes unless the candidate was told TIMEOUT_NOW — vote {@code context}
 * {@code "TRANSFER"}). A restarted node that had a term also ignores votes for its first election
 * timeout, because before the crash it may have promised a leader exactly that.
 *
 * <h2>Reads</h2>
 * {@code readIndex(ctx, false)} is etcd's ReadOnlySafe: the leader records its commit index and
 * confirms leadership with a heartbeat round; all requests that arrived since the previous Ready share
 * one round, whose leader-chosen 8-byte id travels as the HEARTBEAT {@code context} (so requesters'
 * contexts may collide freely). A majority of acks releases that round's reads and all older ones as
 * {@link io.raftkv.raft.ReadState}s carrying each requester's own {@code ctx}. Until the leader has committed an
 * entry of its term the request waits. A single-voter cluster answers without a round. Followers
 * forward READ_INDEX (with {@code index = 1} when a lease read is allowed) and turn the
 * READ_INDEX_RESPONSE into a ReadState; requests the leader cannot answer are dropped (the caller
 * times out and retries).
 * <p>{@code readIndex(ctx, true)} is a lease read, used only with CheckQuorum. Every HEARTBEAT carries
 * the leader's tick counter in {@code index} and the follower echoes it; the lease starts at the
 * newest tick t that a majority of voters acknowledged, and holds while
 * {@code now < t + electionTicks - leaseDriftTicks}. It is safe because a follower that heard the
 * leader at or after t will not vote for anyone else for electionTicks of its own clock;
 * {@code leaseDriftTicks} absorbs clock-rate differences between nodes. No lease while a leadership
 * transfer is in progress, nor for the rest of a term in which the leader sent TIMEOUT_NOW (a delayed
 * one may still start a forced election that ignores the followers' promise). When the lease does not hold the read falls back to a normal round.
 *
 * <h2>Deviations</h2>
 * {@code Deviation} values are deliberate bugs (commit prior-term entries by counting; ReadIndex
 * without quorum check) so the simulator and the scenario scripts can prove they catch them. The enum
 * and {@code RaftNode#deviate} are package-private: only tests switch them on, through the test
 * tree's {@code TestDeviation}; {@link io.raftkv.raft.RaftConfig} has no such switch.
 *
 * <h2>Internal structure</h2>
 * {@code RaftNode} (facade, Ready building) → {@code RaftCore} (term/role/timers, message dispatch)
 * → {@code Election}, {@code LeaderReplication}, {@code LeaderTransfer}, {@code FollowerHandler},
 * {@code ReadOnlyRequests}; state in {@code RaftLog}/{@code UnstableLog}, {@code ProgressTracker}/
 * {@code Progress}/{@code Inflights}, {@code Quorum}, {@code Membership}, {@code ConfChanges}.
 * Broken invariants throw {@code IllegalStateException("raft invariant violated: ...")}; they, and a
 * {@code CorruptLogException} met while reading the {@code LogView}, propagate out of whichever call
 * found them ({@code step}, {@code tick}, {@code ready}, ...). The core's state is then not to be
 * trusted: the driver must stop the node, never log and go on (the node's loop stops through its fatal
 * path, {@code RaftLoop} and {@code PeerInbox}).
 */
package io.raftkv.raft;
