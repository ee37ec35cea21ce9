#!/usr/bin/env bash
# benches/atraso.sh: conexões não persistentes, persistentes e com pipelining
# (Kurose §2.2.2) num enlace com atraso de verdade. Só Linux, como root.
#
#   sudo bash benches/atraso.sh              # RTT de 50 ms, 5 rodadas de cada
#   sudo RTT_MS=100 bash benches/atraso.sh
#   sudo bash benches/atraso.sh --captura    # e mostra o tcpdump de duas buscas
#
# Cria dois network namespaces (cliente e servidor) ligados por um enlace
# com RTT_MS de ida e volta, sobe o web-server no do servidor (sem e com
# --keep-alive) e busca a página www/index.html com a folha de estilo e a
# imagem três vezes: não persistente (uma conexão por objeto, em sequência),
# persistente (uma conexão) e com pipelining. Nada é feito fora dos
# namespaces criados aqui (o lo da máquina não é tocado), e tudo é desfeito
# na saída, até com Ctrl-C.
#
# O atraso: `tc qdisc ... netem delay` num par veth, se o kernel tiver o
# netem (CONFIG_NET_SCH_NETEM). Senão (o caso da VM onde isto foi escrito),
# um repetidor em Python num terceiro namespace: dois dispositivos TUN, e
# cada pacote IP que sai de um lado espera RTT/2 antes de entrar no outro.
set -euo pipefail
cd "$(dirname "$0")/.."

RTT_MS=${RTT_MS:-50}
ROUNDS=${ROUNDS:-5}
CAPTURE=0
[ "${1:-}" = --captura ] && CAPTURE=1

[ "$(uname -s)" = Linux ] || { echo "atraso.sh: só Linux (network namespaces)"; exit 2; }
[ "$(id -u)" = 0 ] || { echo "atraso.sh: precisa de root (ip netns); tente com sudo"; exit 2; }
for tool in ip python3; do
    command -v "$tool" >/dev/null || { echo "atraso.sh: falta o programa '$tool'"; exit 2; }
done
if [ $CAPTURE = 1 ]; then
    command -v tcpdump >/dev/null || { echo "atraso.sh: --captura precisa do tcpdump"; exit 2; }
fi

cargo build --release --quiet --bins
BIN=$PWD/target/release

CLI=psk-cliente-$$
SRV=psk-servidor-$$
NET=psk-enlace-$$
C_ADDR=10.77.0.1
S_ADDR=10.77.0.2
TMP=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for ns in "$CLI" "$SRV" "$NET"; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$CLI"
ip netns add "$SRV"
ip -n "$CLI" link set lo up
ip -n "$SRV" link set lo up
in_cli() { ip netns exec "$CLI" "$@"; }
in_srv() { ip netns exec "$SRV" "$@"; }

half_ms=$(awk -v r="$RTT_MS" 'BEGIN {printf "%g", r / 2}')
ip link add psk-c$$ netns "$CLI" type veth peer name psk-s$$ netns "$SRV"
if tc -n "$CLI" qdisc add dev psk-c$$ root netem delay "${half_ms}ms" 2>/dev/null \
    && tc -n "$SRV" qdisc add dev psk-s$$ root netem delay "${half_ms}ms" 2>/dev/null; then
    HOW="tc netem num par veth"
    IF_C=psk-c$$; IF_S=psk-s$$
    ip -n "$CLI" addr add "$C_ADDR/24" dev "$IF_C"
    ip -n "$SRV" addr add "$S_ADDR/24" dev "$IF_S"
else
    # Sem netem: o par veth sai, entra o repetidor com dois TUN.
    ip -n "$CLI" link del psk-c$$
    HOW="repetidor TUN em Python (este kernel não tem netem)"
    IF_C=psk-tc$$; IF_S=psk-ts$$
    ip netns add "$NET"
    cat > "$TMP/repetidor.py" <<'EOF'
# Dois TUN; cada pacote IP lido de um espera `atraso` segundos e é escrito no outro.
import fcntl, heapq, os, select, struct, sys, time
TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454CA, 0x0001, 0x1000
def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd
a, b = tun(sys.argv[1]), tun(sys.argv[2])
delay = float(sys.argv[3]) / 1000
other = {a: b, b: a}
queue, seq = [], 0
print("pronto", flush=True)
while True:
    wait = max(0.0, queue[0][0] - time.monotonic()) if queue else None
    ready, _, _ = select.select([a, b], [], [], wait)
    for fd in ready:
        heapq.heappush(queue, (time.monotonic() + delay, seq, other[fd], os.read(fd, 65536)))
        seq += 1
    while queue and queue[0][0] <= time.monotonic():
        _, _, fd, packet = heapq.heappop(queue)
        os.write(fd, packet)
EOF
    ip netns exec "$NET" python3 "$TMP/repetidor.py" "$IF_C" "$IF_S" "$half_ms" > "$TMP/repetidor.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do grep -q pronto "$TMP/repetidor.log" && break; sleep 0.05; done
    grep -q pronto "$TMP/repetidor.log" || { cat "$TMP/repetidor.log"; exit 1; }
    # Os dispositivos nascem no namespace do repetidor e vão cada um para um lado.
    ip -n "$NET" link set "$IF_C" netns "$CLI"
    ip -n "$NET" link set "$IF_S" netns "$SRV"
    ip -n "$CLI" addr add "$C_ADDR" peer "$S_ADDR" dev "$IF_C"
    ip -n "$SRV" addr add "$S_ADDR" peer "$C_ADDR" dev "$IF_S"
fi
ip -n "$CLI" link set "$IF_C" up
ip -n "$SRV" link set "$IF_S" up

# Dois servidores: o do enunciado (porta 80) e o com --keep-alive (8080).
in_srv "$BIN/web-server" --host "$S_ADDR" --port 80 --root www 2> "$TMP/fecha.log" &
PIDS+=($!)
in_srv "$BIN/web-server" --host "$S_ADDR" --port 8080 --root www --keep-alive 2> "$TMP/mantem.log" &
PIDS+=($!)
for log in fecha mantem; do
    for _ in $(seq 200); do grep -q escutando "$TMP/$log.log" && break; sleep 0.05; done
    grep -q escutando "$TMP/$log.log" || { cat "$TMP/$log.log"; exit 1; }
done

OBJECTS=(index.html estilo.css imagens/conexao.png)
ping_ms=$(in_cli python3 - "$S_ADDR" <<'EOF'
# RTT medido: o tempo de um connect (SYN → SYN-ACK), o menor de 5.
import socket, sys, time
best = 1e9
for _ in range(5):
    t = time.perf_counter()
    s = socket.create_connection((sys.argv[1], 80))
    best = min(best, time.perf_counter() - t)
    s.close()
print(f"{best * 1000:.1f}")
EOF
)

fetch() { # $1 porta, resto: opções do cliente
    local port=$1; shift
    in_cli "$BIN/http-client" "$S_ADDR" "$port" "${OBJECTS[@]}" "$@" > /dev/null 2> "$TMP/cliente.log"
}
time_ms() { # mediana de ROUNDS buscas, em ms
    for _ in $(seq "$ROUNDS"); do
        local s e
        s=$(date +%s%N); fetch "$@"; e=$(date +%s%N)
        echo $(( (e - s) / 1000 ))
    done | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)] / 1000}'
}

echo "# Três objetos (index.html, estilo.css, imagens/conexao.png), RTT de ${RTT_MS} ms"
echo
echo "Atraso por: $HOW. RTT medido (connect, o menor de 5): ${ping_ms} ms."
echo "Tempo de cada busca: o http-client inteiro, do exec ao fim (mediana de $ROUNDS)."
echo
echo "| como | conexões TCP | previsto (Kurose) | medido | medido ÷ RTT |"
echo "|---|---:|---|---:|---:|"
for row in "não persistente:80::6 RTT (2 por objeto)" \
           "persistente:8080::4 RTT (1 + 1 por objeto)" \
           "persistente com pipelining:8080:--pipeline:2 RTT (1 + 1)"; do
    IFS=: read -r name port flag expected <<< "$row"
    # shellcheck disable=SC2086
    ms=$(time_ms "$port" $flag)
    # O cliente avisa cada conexão nova que precisou abrir.
    conns=$(( $(grep -c 'nova conexão' "$TMP/cliente.log" || true) + 1 ))
    echo "| $name | $conns | $expected | $ms ms | $(awk -v m="$ms" -v r="$RTT_MS" 'BEGIN {printf "%.1f", m / r}') |"
done

if [ $CAPTURE = 1 ]; then
    for row in "não persistente (3 conexões):80:" "persistente (1 conexão):8080:" \
               "persistente com pipelining (1 conexão):8080:--pipeline"; do
        IFS=: read -r name port flag <<< "$row"
        # `exec`: o PID de `$!` é o do próprio tcpdump, que recebe o SIGINT.
        (exec ip netns exec "$SRV" tcpdump -l -n -ttttt -i "$IF_S" "tcp port $port" \
            > "$TMP/captura.txt" 2> "$TMP/tcpdump.log") &
        dump=$!
        PIDS+=($dump)
        for _ in $(seq 100); do grep -q listening "$TMP/tcpdump.log" && break; sleep 0.05; done
        # shellcheck disable=SC2086
        fetch "$port" $flag
        sleep 0.5
        kill -INT "$dump"; wait "$dump" 2>/dev/null || true
        echo
        echo "## tcpdump no servidor: $name"
        echo
        # Nomes em vez de endereços, e só o que interessa de cada linha.
        sed -E -e "s/$C_ADDR\.([0-9]+)/cliente.\1/g" -e "s/$S_ADDR\.([0-9]+)/servidor.\1/g" \
            -e 's/, options \[[^]]*\]//; s/, win [0-9]+//' "$TMP/captura.txt"
    done
fi
