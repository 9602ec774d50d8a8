# Peer-list resolution for bin/raftkv-node. Source it; it defines functions only.

# Normalises [HOST]:PORT (or PORT) to HOST:PORT, using DEFAULT_HOST when the host is missing.
# "localhost" becomes 127.0.0.1 so that ids by position agree however a loopback peer is spelt.
raftkv_addr() {
  local spec="$1" default_host="$2" h p
  if [[ "$spec" == *:* ]]; then
    h="${spec%:*}" p="${spec##*:}"
  else
    h="" p="$spec"
  fi
  [[ "$p" =~ ^[0-9]+$ ]] && ((p >= 1 && p <= 65535)) || return 1
  h="${h:-$default_host}"
  [ "$h" = localhost ] && h=127.0.0.1
  echo "$h:$p"
}

# Sets RAFTKV_SELF_ID, RAFTKV_CLUSTER ("id@host:raftPort,...") and RAFTKV_CLUSTER_HTTP
# ("id@host:httpPort,...") from this node's id (may be empty), addresses and the peer lists.
# Peers are either all "id@host:port" (then --id is required) or all "host:port" (then each id is the
# 1-based position in the sorted list of all peer addresses including self; a given --id must agree).
raftkv_resolve_cluster() {
  local self_id="$1" self_raft="$2" self_http="$3" peers="$4" peers_http="$5"
  local -a entries http_entries raft_of http_of
  local e i addr pid with_ids=0 without_ids=0 host offset
  IFS=',' read -r -a entries <<< "$peers"
  IFS=',' read -r -a http_entries <<< "$peers_http"
  if [ -n "$peers_http" ] && [ "${#http_entries[@]}" -ne "${#entries[@]}" ]; then
    raftkv_log "--peers-http has ${#http_entries[@]} entries but --peers has ${#entries[@]}"; return 1
  fi
  host="${self_raft%:*}"
  offset=$(( ${self_http##*:} - ${self_raft##*:} ))
  for e in "${entries[@]}"; do [[ "$e" == *@* ]] && with_ids=$((with_ids + 1)) || without_ids=$((without_ids + 1)); done
  if ((with_ids > 0 && without_ids > 0)); then
    raftkv_log "--peers mixes id@host:port and host:port entries: give ids to all or to none"; return 1
  fi
  if [ -n "$self_id" ] && ! [[ "$self_id" =~ ^[1-9][0-9]*$ ]]; then
    raftkv_log "--id must be a whole number >= 1, got '$self_id'"; return 1
  fi

  local -a ids=() addrs=() https=()
  for i in "${!entries[@]}"; do
    e="${entries[$i]}"
    pid=""
    [[ "$e" == *@* ]] && { pid="${e%%@*}"; e="${e#*@}"; }
    addr=$(raftkv_addr "$e" "$host") || { raftkv_log "bad peer address '$e'"; return 1; }
    if [ -n "$peers_http" ]; then
      e="${http_entries[$i]#*@}"
      https+=("$(raftkv_addr "$e" "$host")") || { raftkv_log "bad peer HTTP address '$e'"; return 1; }
    else
      https+=("${addr%:*}:$(( ${addr##*:} + offset ))")
    fi
    ids+=("$pid") addrs+=("$addr")
  done

  if ((with_ids == 0)); then
    # Ids by position in the sorted address list (self included).
    local sorted pos=0 n
    sorted=$(printf '%s\n' "${addrs[@]}" "$self_raft" | sort -t: -k1,1 -k2,2n -u)
    while IFS= read -r n; do
      pos=$((pos + 1))
      [ "$n" = "$self_raft" ] && break
    done <<< "$sorted"
    if [ -n "$self_id" ] && [ "$self_id" != "$pos" ]; then
      raftkv_log "--id=$self_id contradicts the peer list: $self_raft is number $pos among the sorted addresses ($(echo $sorted | tr ' ' ','))"
      return 1
    fi
    self_id=$pos
    for i in "${!addrs[@]}"; do
      pos=0
      while IFS= read -r n; do pos=$((pos + 1)); [ "$n" = "${addrs[$i]}" ] && break; done <<< "$sorted"
      ids[$i]=$pos
    done
  elif [ -z "$self_id" ]; then
    raftkv_log "--id is required when peers are given as id@host:port"; return 1
  fi

  raft_of=() http_of=()
  raft_of[$self_id]="$self_raft" http_of[$self_id]="$self_http"
  for i in "${!addrs[@]}"; do
    pid="${ids[$i]}"
    [[ "$pid" =~ ^[1-9][0-9]*$ ]] || { raftkv_log "bad peer id '$pid'"; return 1; }
    if [ "${addrs[$i]}" = "$self_raft" ]; then
      [ "$pid" = "$self_id" ] && continue
      raftkv_log "peer $pid@${addrs[$i]} has this node's address but id $self_id"; return 1
    fi
    if [ -n "${raft_of[$pid]:-}" ]; then
      raftkv_log "id $pid is given twice (${raft_of[$pid]} and ${addrs[$i]})"; return 1
    fi
    raft_of[$pid]="${addrs[$i]}" http_of[$pid]="${https[$i]}"
  done

  RAFTKV_SELF_ID="$self_id" RAFTKV_CLUSTER="" RAFTKV_CLUSTER_HTTP=""
  for pid in "${!raft_of[@]}"; do   # indexed arrays iterate in ascending id order
    RAFTKV_CLUSTER+="${RAFTKV_CLUSTER:+,}$pid@${raft_of[$pid]}"
    RAFTKV_CLUSTER_HTTP+="${RAFTKV_CLUSTER_HTTP:+,}$pid@${http_of[$pid]}"
  done
}
