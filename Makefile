# pratica-sockets: atalhos finos sobre o cargo. `make` sozinho lista os alvos.
#
# Cada alvo chama um apelido do cargo (.cargo/config.toml): `make ping` roda
# `cargo ping`, `make serve` roda `cargo serve`, e assim por diante. Quem não
# tem make (Windows) digita os mesmos comandos do cargo; o código é um só.
# O cargo compila o que faltar antes de rodar e respeita CARGO_TARGET_DIR.
#
# Variáveis (todas opcionais; vazias = o padrão de cada programa):
#   HOST   endereço do servidor (ping: 127.0.0.1 / localhost; web: 127.0.0.1 / localhost)
#   PORT   porta (ping: 12000; web: 6789; heartbeat: 12001)
#   LOSS   fração de pacotes perdidos no servidor de ping (padrão 0.30)
#   COUNT  quantos pings enviar (padrão 10)
#   ROOT   pasta servida pelo servidor web (padrão www)
#   FILE   arquivo requisitado por `make get` (padrão index.html)
#   ARGS   qualquer outra opção do programa, do jeito que ele aceita
#          (ex.: make ping-server ARGS="--seed 7")

HOST  ?=
PORT  ?=
LOSS  ?=
COUNT ?=
ROOT  ?=
FILE  ?= index.html
ARGS  ?=

CARGO ?= cargo
opt    = $(if $(strip $(2)),$(1) $(2))

# Os programas sabem que vieram do make (para dizer "PORT=" em vez de "--port" nas dicas).
export PRATICA_FRONTEND := make

SERVER_FLAGS = $(strip $(call opt,--host,$(HOST)) $(call opt,--port,$(PORT)) $(call opt,--loss,$(LOSS)) $(ARGS))
CLIENT_FLAGS = $(strip $(call opt,--host,$(HOST)) $(call opt,--port,$(PORT)) $(call opt,--count,$(COUNT)) $(ARGS))
BOTH_FLAGS   = $(strip $(call opt,--host,$(HOST)) $(call opt,--port,$(PORT)) $(call opt,--loss,$(LOSS)) $(call opt,--count,$(COUNT)) $(ARGS))
WEB_FLAGS    = $(strip $(call opt,--host,$(HOST)) $(call opt,--port,$(PORT)) $(call opt,--root,$(ROOT)) $(ARGS))

.DEFAULT_GOAL := help
.PHONY: grade help build ping ping-server ping-client heartbeat heartbeat-server heartbeat-client serve serve-single get test fuzz bench compare check fmt

help:
	@echo "pratica-sockets: alvos do make (ao lado, o mesmo comando pelo cargo, que funciona em qualquer sistema)"
	@echo ""
	@echo "  Seção 2, UDP Pinger"
	@echo "    make ping            cargo ping             servidor + cliente de ping de uma vez (10 pings, 30% de perda)"
	@echo "    make ping-server     cargo ping-server      só o servidor de ping (terminal 1)"
	@echo "    make ping-client     cargo ping-client      só o cliente de ping (terminal 2)"
	@echo "    make heartbeat       cargo heartbeat        extra: UDP Heartbeat, os dois lados, 30% de perda"
	@echo "    make heartbeat-server, make heartbeat-client   (cargo heartbeat-server, cargo heartbeat-client)"
	@echo ""
	@echo "  Seção 3, Web Server"
	@echo "    make serve           cargo serve            3b: servidor web, uma thread por conexão (http://127.0.0.1:6789/)"
	@echo "    make serve-single    cargo serve-single     3a: servidor web, uma requisição por vez"
	@echo "    make get FILE=...    cargo get ARQUIVO      3c: o cliente HTTP pede o arquivo a localhost:6789"
	@echo ""
	@echo "  Conferir o seu trabalho (em Python ou outra linguagem)"
	@echo "    make grade ARGS=\"MODO -- COMANDO\"   cargo grade MODO -- COMANDO"
	@echo "                         MODO: ping-server, ping-client, 3a, 3b ou 3c (ex.: cargo grade 3b -- python3 servidor.py)"
	@echo ""
	@echo "  Testes e qualidade"
	@echo "    make test            cargo test             todos os testes (unitários e de integração)"
	@echo "    make bench           benchmarks (requisições/s, latência, MB/s, RTT UDP), cerca de 80 s"
	@echo "                         (pelo cargo: cargo bench --bench desempenho)"
	@echo "    make compare         3b lado a lado com nginx e python (precisa de bash, wrk, nginx, curl)"
	@echo "    make fuzz            1 000 000 requisições mutadas contra o parser HTTP"
	@echo "                         (pelo cargo: cargo test --profile fuzz --test it fuzz_http:: -- --ignored)"
	@echo "    make check           rustfmt + clippy e cargo doc sem avisos + testes (o que a CI roda)"
	@echo ""
	@echo "  Variáveis: HOST, PORT, LOSS, COUNT, ROOT, FILE  (ex.: make ping LOSS=0.5 COUNT=20)"
	@echo "  Outras opções: ARGS  (ex.: make ping-server ARGS=\"--seed 7\"; pelo cargo: cargo ping-server --seed 7)"

build:
	$(CARGO) build --release --bins

# Servidor numa thread e cliente, num processo só (src/bin/pratica.rs): o
# processo sai com o código do cliente e leva o servidor junto, inclusive no Ctrl-C.
ping:
	$(CARGO) ping $(BOTH_FLAGS)

heartbeat:
	$(CARGO) heartbeat $(BOTH_FLAGS)

ping-server:
	$(CARGO) ping-server $(SERVER_FLAGS)

ping-client:
	$(CARGO) ping-client $(CLIENT_FLAGS)

heartbeat-server:
	$(CARGO) heartbeat-server $(SERVER_FLAGS)

heartbeat-client:
	$(CARGO) heartbeat-client $(CLIENT_FLAGS)

serve:
	$(CARGO) serve $(WEB_FLAGS)

serve-single:
	$(CARGO) serve-single $(WEB_FLAGS)

# O cliente fala com `make serve` rodando em outro terminal.
get:
	$(CARGO) http-client $(strip $(or $(HOST),localhost) $(or $(PORT),6789) $(FILE) $(ARGS))

# O corretor: ARGS leva o modo, `--` e o comando do trabalho.
grade:
	$(CARGO) grade $(ARGS)

test:
	$(CARGO) test --all-targets
	$(CARGO) test --doc

bench:
	$(CARGO) bench --bench desempenho

compare:
	bash benches/comparar.sh

fuzz:
	$(CARGO) test --profile fuzz --test it fuzz_http:: -- --ignored

check:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps
	$(MAKE) test

fmt:
	$(CARGO) fmt
