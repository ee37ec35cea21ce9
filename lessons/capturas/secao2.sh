#!/usr/bin/env bash
# Regenera as capturas e os traços que as aulas 00, 01 e 02 citam.
#
# SÓ LINUX. Precisa de root (o tcpdump captura no loopback), de tcpdump,
# strace, python3 e cargo. Rode da raiz do repositório:
#
#     sudo bash lessons/capturas/secao2.sh
#
# Escreve lessons/capturas/*.txt (e apaga o que criou em /tmp). Usa a porta
# UDP 12000 (a do enunciado) para o servidor de ping, ou PORT=... se ela
# estiver ocupada, e uma porta sem ninguém para o experimento do ICMP.
# Em macOS e Windows, o equivalente é o Wireshark (filtro `udp.port == 12000
# || icmp`); os números de porta, horários e RTTs mudam a cada execução.
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=lessons/capturas
PORT=${PORT:-12000}
SEED=587 # a semente cujo sorteio perde os pings 5, 6 e 7 (a aula 2 usa)
BIN=${CARGO_TARGET_DIR:-target}/release
TMP=$(mktemp -d)
export TZ=America/Sao_Paulo # a hora de Brasília, como um aluno no Brasil veria

for tool in tcpdump strace python3 cargo; do
    command -v "$tool" >/dev/null || { echo "secao2.sh: falta o programa $tool" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "secao2.sh: rode como root (o tcpdump precisa)" >&2; exit 1; }

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

cargo build --release --quiet --bins

# Espera até `arquivo` conter `texto` (no máximo 10 s).
wait_for() {
    local file=$1 text=$2 i=0
    until grep -q "$text" "$file" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 200 ] || { echo "secao2.sh: esperei '$text' em $file" >&2; cat "$file" >&2; exit 1; }
        sleep 0.05
    done
}

# tcpdump em segundo plano, gravando em $TMP/$1.pcap, com o filtro $2.
capture_start() {
    tcpdump -i lo -n -U --immediate-mode -w "$TMP/$1.pcap" "$2" 2>"$TMP/$1.tcpdump" &
    CAP=$!
    PIDS+=("$CAP")
    wait_for "$TMP/$1.tcpdump" "listening on"
}
capture_stop() {
    sleep 0.2 # o último pacote ainda pode estar a caminho do arquivo
    kill -INT "$CAP"
    wait "$CAP" 2>/dev/null || true
}

# strace com a duração de cada chamada (-T), só chamadas de rede, a partir
# do primeiro socket IP (antes disso é o Python/Rust se preparando).
trace() {
    local out=$1
    shift
    strace -T -e trace=socket,bind,connect,ioctl,fcntl,setsockopt,poll,sendto,recvfrom \
        -o "$TMP/strace" "$@" >"$TMP/stdout" 2>"$TMP/stderr" || true
    sed -n '/^socket(AF_INET/,$p' "$TMP/strace" | grep -v -e '^+++' -e 'TCGETS' -e 'AF_UNIX' >"$out"
}

# Uma porta UDP livre (o kernel escolhe; fechamos logo em seguida).
free_port() {
    python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- Aula 2: uma execução com perda, vista pelo cliente, pelo servidor e pelo tcpdump ---
"$BIN/ping-server" --port "$PORT" --seed "$SEED" 2>"$TMP/server.log" &
SRV=$!
PIDS+=("$SRV")
wait_for "$TMP/server.log" "127.0.0.1:$PORT"
capture_start ping "udp port $PORT"
"$BIN/ping-client" --port "$PORT" >"$OUT/ping-cliente.txt"
capture_stop
# O socket do servidor, visto pelo ss (a aula 1 cita).
ss -uanp "sport = :$PORT" >"$OUT/ss-ping-server.txt"
kill "$SRV"
wait "$SRV" 2>/dev/null || true
cp "$TMP/server.log" "$OUT/ping-servidor.txt"
tcpdump -r "$TMP/ping.pcap" -n -X 2>/dev/null | head -n 12 >"$OUT/ping-tcpdump-X.txt"
tcpdump -r "$TMP/ping.pcap" -n -ttttt 2>/dev/null >"$OUT/ping-tcpdump.txt"

# --- Timeout: Rust (SO_RCVTIMEO) e Python (não bloqueante + poll), com um servidor que perde tudo ---
"$BIN/ping-server" --port 0 --loss 1 2>"$TMP/mudo.log" &
MUDO=$!
PIDS+=("$MUDO")
wait_for "$TMP/mudo.log" "127.0.0.1:"
MUDO_PORT=$(head -n 1 "$TMP/mudo.log" | grep -o '127\.0\.0\.1:[0-9]*' | cut -d: -f2)
trace "$OUT/strace-rust-timeout.txt" "$BIN/ping-client" --port "$MUDO_PORT" --count 1
trace "$OUT/strace-python-timeout.txt" python3 "$OUT/cliente_enunciado.py" "$MUDO_PORT" 1
kill "$MUDO"
wait "$MUDO" 2>/dev/null || true

# --- ICMP "porta inalcançável": cliente conectado (Rust) e não conectado (Python) ---
NADA=$(free_port)
# O ICMP leva dentro o cabeçalho UDP original: icmp[30:2] é a porta de destino dele.
ONLY_NADA="udp port $NADA or (icmp and icmp[30:2] == $NADA)"
capture_start icmp-rust "$ONLY_NADA"
trace "$OUT/icmp-rust-strace.txt" "$BIN/ping-client" --port "$NADA" --count 2
capture_stop
{ cat "$TMP/stdout"; cat "$TMP/stderr"; } >"$OUT/icmp-rust-saida.txt"
tcpdump -r "$TMP/icmp-rust.pcap" -n -ttttt 2>/dev/null >"$OUT/icmp-rust-tcpdump.txt"

capture_start icmp-python "$ONLY_NADA"
trace "$OUT/icmp-python-strace.txt" python3 "$OUT/cliente_enunciado.py" "$NADA" 2
capture_stop
cat "$TMP/stdout" >"$OUT/icmp-python-saida.txt"
tcpdump -r "$TMP/icmp-python.pcap" -n -ttttt 2>/dev/null >"$OUT/icmp-python-tcpdump.txt"

# --- Aula 1: a fila de recepção cheia descarta datagramas, também no loopback ---
python3 "$OUT/fila_cheia.py" >"$OUT/fila-cheia.txt"

# --- Aula 00: um erro de compilação de verdade (usar um socket depois de movê-lo) ---
cat >"$TMP/erro.rs" <<'RUST'
use std::net::UdpSocket;

fn fecha(socket: UdpSocket) {
    drop(socket);
}

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    fecha(socket);
    socket.send_to(b"Ping 1", "127.0.0.1:12000")?;
    Ok(())
}
RUST
(cd "$TMP" && rustc --edition 2024 --color never erro.rs 2>&1 || true) |
    sed "s|$TMP/||" >"$OUT/erro-compilador.txt"

echo "secao2.sh: capturas em $OUT/"
ls "$OUT"/*.txt
