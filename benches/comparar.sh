#!/usr/bin/env bash
# make compare: o servidor 3b lado a lado com o nginx (1 worker) e com o
# `python3 -m http.server`, numa execução só, nesta máquina.
#
# Precisa de: wrk, nginx, curl, python3, taskset (no Debian/Ubuntu:
#   apt-get install wrk nginx-light curl). Nada disso é dependência do
# projeto: são só os "adversários" da medição.
#
# Mede, para cada servidor:
#   1. requisições/s com `wrk -t1 -c16 -d$SECS -H "Connection: close"` em
#      www/index.html (mediana de $ROUNDS rodadas alternadas), primeiro com os
#      processos fixados (servidor na CPU 1, wrk na CPU 0: `taskset`), depois
#      soltos, ao lado de uma referência nua de thread por conexão
#      (benches/referencia.rs): o teto do modelo, medido na mesma execução;
#   2. o mesmo com conexões persistentes (wrk sem "Connection: close"):
#      3b --keep-alive, nginx (keep-alive é o padrão dele) e o Python (que
#      fecha cada conexão: fala HTTP/1.0);
#   3. memória máxima (VmHWM) com 1000 conexões abertas ao mesmo tempo, e
#      RSS e threads com 1000 conexões persistentes ociosas (3b e nginx);
#   4. MB/s de um arquivo de 64 MiB baixado com curl (mediana de 15);
#   5. MB/s do nosso http-client contra o curl, no mesmo arquivo.
# Com os processos fixados, imprime também as três razões da issue 18
# (3b --keep-alive ÷ nginx; ÷ referência keep-alive; 3b ÷ referência).
# SO_FIXADOS=1 mede só os processos fixados (a parte que dá as razões).
set -euo pipefail
cd "$(dirname "$0")/.."

SECS=${SECS:-5}
ROUNDS=${ROUNDS:-5}
FILE=index.html
for tool in wrk nginx curl python3 taskset; do
    command -v "$tool" >/dev/null || { echo "falta o programa '$tool' (apt-get install wrk nginx-light curl)"; exit 2; }
done

cargo build --release --quiet --bins
BIN=target/release
# A referência é um `[[bench]]`: o cargo diz onde ficou o executável.
REF=$(cargo bench --bench referencia --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\)).*/\1/p')
[ -x "$REF" ] || { echo "não achei o executável de benches/referencia.rs"; exit 1; }
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

chmod 755 "$TMP"
cp -r www "$TMP/www"
chmod -R a+rX "$TMP/www"
head -c $((64 * 1024 * 1024)) /dev/urandom > "$TMP/www/grande.bin"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; echo "porta $1 não abriu"; exit 1; }

start_all() { # $1: prefixo (vazio ou "taskset -c 1")
    local pin=$1
    P_NGINX=$(free_port); P_PY=$(free_port); P_3B=$(free_port); P_3A=$(free_port)
    P_3BK=$(free_port); P_REF=$(free_port); P_REFK=$(free_port)
    cat > "$TMP/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    access_log $TMP/nginx-access.log;
    sendfile on;
    server { listen 127.0.0.1:$P_NGINX; root $TMP/www; }
}
EOF
    $pin nginx -c "$TMP/nginx.conf" & PIDS+=($!)
    (cd "$TMP/www" && exec $pin python3 -m http.server "$P_PY" --bind 127.0.0.1 >/dev/null 2>&1) & PIDS+=($!)
    $pin $BIN/web-server --port "$P_3B" --root "$TMP/www" 2> "$TMP/3b.log" & PIDS+=($!)
    $pin $BIN/web-server --single --port "$P_3A" --root "$TMP/www" 2> "$TMP/3a.log" & PIDS+=($!)
    # Ociosidade longa: a medida de memória segura 1000 conexões paradas.
    $pin $BIN/web-server --keep-alive --idle-timeout 60 --port "$P_3BK" --root "$TMP/www" 2> "$TMP/3bk.log" & PIDS+=($!)
    $pin "$REF" --port "$P_REF" --file "$TMP/www/$FILE" 2>/dev/null & PIDS+=($!)
    $pin "$REF" --keep-alive --port "$P_REFK" --file "$TMP/www/$FILE" 2>/dev/null & PIDS+=($!)
    for p in $P_NGINX $P_PY $P_3B $P_3A $P_3BK $P_REF $P_REFK; do wait_port "$p"; done
}
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rps() { # $1 porta, $2 prefixo do wrk, $3 (opcional) "keep": sem "Connection: close"
    local hdr=(-H "Connection: close")
    [ "${3:-}" = keep ] && hdr=()
    for _ in $(seq "$ROUNDS"); do
        $2 wrk -t1 -c16 -d"${SECS}s" "${hdr[@]}" "http://127.0.0.1:$1/$FILE" \
            | awk '/Requests\/sec/ {print $2}'
    done | median
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a/b}'; }

echo "# Comparação lado a lado ($(nproc) CPUs, $(uname -sr), $(date -u +%Y-%m-%d))"
echo
echo "Carga da máquina no início (uptime): $(cut -d' ' -f1-3 /proc/loadavg)"
echo
SIZE=$(wc -c < "$TMP/www/$FILE")
for mode in fixados soltos; do
    if [ $mode = soltos ]; then start_all ""; WRK=""; else start_all "taskset -c 1"; WRK="taskset -c 0"; fi
    if [ $mode = soltos ]; then
        echo "> Atenção: com os processos soltos numa máquina ocupada, um servidor de"
        echo "> muitas threads (3b) ganha CPU que o nginx, com um worker só, não ganha."
        echo "> As razões que valem são as dos processos fixados, acima."
        echo
    fi
    # As rodadas se alternam entre os servidores: a carga da máquina muda
    # com o tempo, e assim nenhum deles fica só com os minutos ruins.
    declare -A RUNS=()
    for _ in $(seq "$ROUNDS"); do
        for row in "N:$P_NGINX:" "PY:$P_PY:" "B:$P_3B:" "A:$P_3A:" "R:$P_REF:" \
                   "NK:$P_NGINX:keep" "BK:$P_3BK:keep" "RK:$P_REFK:keep" "PYK:$P_PY:keep"; do
            IFS=: read -r key port keep <<< "$row"
            RUNS[$key]+="$(ROUNDS=1 rps "$port" "$WRK" "$keep") "
        done
    done
    med() { tr ' ' '\n' <<< "${RUNS[$1]}" | grep . | median; }
    N=$(med N); PY=$(med PY); B=$(med B); A=$(med A); R=$(med R)
    NK=$(med NK); BK=$(med BK); RK=$(med RK); PYK=$(med PYK)
    echo "## wrk -t1 -c16 -H 'Connection: close', $FILE ($SIZE bytes), processos $mode"
    echo
    echo "| servidor | requisições/s (mediana de $ROUNDS) | 3b ÷ este |"
    echo "|---|---:|---:|"
    for row in "nginx (1 worker):$N" "python3 -m http.server:$PY" "3a (--single):$A" "3b (thread por conexão):$B" \
               "referência nua, thread por conexão:$R"; do
        name=${row%%:*}; val=${row##*:}
        echo "| $name | $val | $(ratio "$B" "$val") |"
    done
    echo
    echo "Rodadas (requisições/s): nginx ${RUNS[N]}· 3b ${RUNS[B]}· referência ${RUNS[R]}"
    echo
    echo "## wrk -t1 -c16, conexões persistentes, $FILE ($SIZE bytes), processos $mode"
    echo
    echo "| servidor | requisições/s (mediana de $ROUNDS) | 3b --keep-alive ÷ este |"
    echo "|---|---:|---:|"
    for row in "nginx (1 worker, keep-alive):$NK" "python3 -m http.server (fecha cada conexão):$PYK" \
               "3b --keep-alive:$BK" "referência nua, keep-alive:$RK"; do
        name=${row%%:*}; val=${row##*:}
        echo "| $name | $val | $(ratio "$BK" "$val") |"
    done
    echo
    echo "Rodadas (requisições/s): nginx ${RUNS[NK]}· 3b --keep-alive ${RUNS[BK]}· python ${RUNS[PYK]}"
    echo
    if [ $mode = fixados ]; then
        echo "## As razões da issue 18 (processos fixados, mediana de $ROUNDS)"
        echo
        echo "| razão | medida | piso | meta |"
        echo "|---|---:|---:|---:|"
        echo "| 3b --keep-alive ÷ nginx (1 worker, keep-alive) | $(ratio "$BK" "$NK") | 0.8× | 1.0× |"
        echo "| 3b --keep-alive ÷ referência nua keep-alive | $(ratio "$BK" "$RK") | 0.6× | 0.75× |"
        echo "| 3b com Connection: close ÷ referência nua, thread por conexão | $(ratio "$B" "$R") | 0.8× | 0.9× |"
        echo
        echo "Carga da máquina depois dos processos fixados (uptime): $(cut -d' ' -f1-3 /proc/loadavg)"
        echo
        stop_all
        [ -n "${SO_FIXADOS:-}" ] && break
        continue
    fi

    echo "## Memória com 1000 conexões abertas ao mesmo tempo (VmHWM)"
    echo
    echo "| servidor | pico de RSS |"
    echo "|---|---:|"
    for row in "nginx (worker):$(pgrep -f 'nginx: worker' | head -1)" "3b:$(pgrep -f "web-server --port $P_3B")"; do
        name=${row%%:*}; pid=${row##*:}
        port=$P_NGINX; [ "$name" = 3b ] && port=$P_3B
        python3 - "$port" "$pid" "$name" <<'EOF'
import resource, socket, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
port, pid, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
socks = []
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n"); socks.append(s)
time.sleep(1)
hwm = [l.split()[1] for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM")][0]
print(f"| {name} | {int(hwm) / 1024:.1f} MiB |")
EOF
    done
    echo

    echo "## 1000 conexões persistentes ociosas (um GET respondido em cada, depois nada)"
    echo
    echo "| servidor | RSS antes | RSS com as 1000 | threads com as 1000 |"
    echo "|---|---:|---:|---:|"
    for row in "nginx (worker):$(pgrep -f 'nginx: worker' | head -1):$P_NGINX" \
               "3b --keep-alive:$(pgrep -f "web-server --keep-alive --idle-timeout 60 --port $P_3BK"):$P_3BK"; do
        IFS=: read -r name pid port <<< "$row"
        python3 - "$port" "$pid" "$name" <<'EOF'
import resource, socket, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
port, pid, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def status(field):
    return [l.split()[1] for l in open(f"/proc/{pid}/status") if l.startswith(field)][0]
before = int(status("VmRSS"))
socks = []
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /estilo.css HTTP/1.1\r\nHost: x\r\n\r\n")
    got = b""
    while b"\r\n\r\n" not in got:
        got += s.recv(4096)
    head, _, body = got.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += s.recv(4096)
    socks.append(s)
time.sleep(1)
rss, threads = int(status("VmRSS")), status("Threads")
print(f"| {name} | {before / 1024:.1f} MiB | {rss / 1024:.1f} MiB | {threads} |")
EOF
    done
    echo

    dl() { for _ in $(seq 15); do "$@" 2>/dev/null | tail -1; done | median; }
    # Os dois clientes são cronometrados do mesmo jeito: o processo inteiro,
    # do exec ao fim (o contador do próprio curl não inclui a partida).
    timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN {printf "%.0f\n", 67.108864/(e-s)}'; }
    curl_mbs() { timed curl -s -o /dev/null "http://127.0.0.1:$1/grande.bin"; }
    ours_mbs() { timed $BIN/http-client 127.0.0.1 "$1" grande.bin -o /dev/null; }
    CN=$(dl curl_mbs "$P_NGINX"); CB=$(dl curl_mbs "$P_3B"); ON=$(dl ours_mbs "$P_NGINX"); OB=$(dl ours_mbs "$P_3B")
    echo "## Arquivo de 64 MiB (MB/s, mediana de 15)"
    echo
    echo "| cliente \\ servidor | nginx | 3b | 3b ÷ nginx |"
    echo "|---|---:|---:|---:|"
    echo "| curl | $CN | $CB | $(awk -v a="$CB" -v b="$CN" 'BEGIN {printf "%.2f×", a/b}') |"
    echo "| http-client (3c) | $ON | $OB | $(awk -v a="$OB" -v b="$ON" 'BEGIN {printf "%.2f×", a/b}') |"
    echo "| http-client ÷ curl | $(awk -v a="$ON" -v b="$CN" 'BEGIN {printf "%.2f×", a/b}') | $(awk -v a="$OB" -v b="$CB" 'BEGIN {printf "%.2f×", a/b}') | |"
    echo
    stop_all
done
