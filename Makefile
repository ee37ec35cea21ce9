# pratica-sockets: atalhos finos sobre o cargo. `make` sozinho lista os alvos.
#
# Variáveis (todas opcionais; vazias = o padrão de cada programa):
#   HOST   endereço do servidor (ping: 127.0.0.1 / localhost; web: 127.0.0.1 / localhost)
#   PORT   porta (ping: 12000; web: 6789; heartbeat: 12001)
#   LOSS   fração de pacotes perdidos no servidor de ping (padrão 0.30)
#   COUNT  quantos pings enviar (padrão 10)
#   ROOT   pasta servida pelo servidor web (padrão www)
#   FILE   arquivo pedido por `make get` (padrão index.html)

HOST  ?=
PORT  ?=
LOSS  ?=
COUNT ?=
ROOT  ?=
FILE  ?= index.html

CARGO   ?= cargo
BIN     := target/release
opt      = $(if $(strip $(2)),$(1) $(2))

PING_SERVER_FLAGS = $(call opt,--host,$(HOST)) $(call opt,--port,$(PORT)) $(call opt,--loss,$(LOSS))
PING_CLIENT_FLAGS = $(call opt,--host,$(HOST)) $(call opt,--port,$(PORT)) $(call opt,--count,$(COUNT))
WEB_FLAGS         = $(call opt,--host,$(HOST)) $(call opt,--port,$(PORT)) $(call opt,--root,$(ROOT))

.DEFAULT_GOAL := help
.PHONY: help build ping ping-server ping-client heartbeat serve serve-single get test fuzz bench compare check fmt

help:
	@echo "pratica-sockets: alvos do make"
	@echo ""
	@echo "  Seção 2, UDP Pinger"
	@echo "    make ping            servidor + cliente de ping de uma vez (10 pings, 30% de perda)"
	@echo "    make ping-server     só o servidor de ping (terminal 1)"
	@echo "    make ping-client     só o cliente de ping (terminal 2)"
	@echo "    make heartbeat       extra: UDP Heartbeat, os dois lados, 30% de perda"
	@echo ""
	@echo "  Seção 3, Web Server"
	@echo "    make serve           3b: servidor web, uma thread por conexão (http://127.0.0.1:6789/)"
	@echo "    make serve-single    3a: servidor web, um pedido por vez"
	@echo "    make get FILE=...    3c: o cliente HTTP pede FILE a HOST:PORT (padrão localhost:6789)"
	@echo ""
	@echo "  Testes e qualidade"
	@echo "    make test            todos os testes (unitários e de integração)"
	@echo "    make bench           benchmarks (pedidos/s, latência, MB/s, RTT UDP), menos de 2 minutos"
	@echo "    make compare         3b lado a lado com nginx e python (precisa de wrk, nginx, curl)"
	@echo "    make fuzz            1 000 000 pedidos mutados contra o parser HTTP"
	@echo "    make check           rustfmt + clippy sem avisos + testes (o que a CI roda)"
	@echo ""
	@echo "  Variáveis: HOST, PORT, LOSS, COUNT, ROOT, FILE  (ex.: make ping LOSS=0.5 COUNT=20)"

build:
	@$(CARGO) build --release --quiet --bins

# Sobe o servidor em segundo plano, espera ele anunciar que está escutando,
# roda o cliente e derruba o servidor, mesmo se o cliente falhar ou levar Ctrl-C.
ping: build
	@log=target/ping-server.log; \
	$(BIN)/ping-server $(PING_SERVER_FLAGS) 2> $$log & srv=$$!; \
	trap 'kill $$srv 2>/dev/null; wait $$srv 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	i=0; until grep -q escutando $$log 2>/dev/null; do \
	  kill -0 $$srv 2>/dev/null && [ $$i -lt 200 ] || { cat $$log; exit 1; }; \
	  i=$$((i+1)); sleep 0.05; \
	done; \
	$(BIN)/ping-client $(PING_CLIENT_FLAGS); status=$$?; \
	echo "(o log do servidor está em $$log)"; \
	exit $$status

# O Heartbeat: servidor em segundo plano (saída aqui mesmo), cliente com
# 20 batimentos, depois silêncio para o servidor declarar que o cliente parou.
HB_DEAD ?= 2
heartbeat: build
	@$(BIN)/heartbeat-server $(call opt,--host,$(HOST)) $(call opt,--port,$(PORT)) --loss $(or $(LOSS),0.30) --dead-after $(HB_DEAD) 2> target/heartbeat-server.log & srv=$$!; \
	trap 'kill $$srv 2>/dev/null; wait $$srv 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	i=0; until grep -q escutando target/heartbeat-server.log 2>/dev/null; do \
	  kill -0 $$srv 2>/dev/null && [ $$i -lt 200 ] || { cat target/heartbeat-server.log; exit 1; }; \
	  i=$$((i+1)); sleep 0.05; \
	done; \
	$(BIN)/heartbeat-client $(call opt,--host,$(HOST)) $(call opt,--port,$(PORT)) --count $(or $(COUNT),20) --interval 0.2 > target/heartbeat-client.log; status=$$?; \
	sleep $$(( $(HB_DEAD) + 1 )); \
	echo "(cliente: target/heartbeat-client.log; descartes simulados: target/heartbeat-server.log)"; \
	exit $$status

ping-server: build
	$(BIN)/ping-server $(PING_SERVER_FLAGS)

ping-client: build
	$(BIN)/ping-client $(PING_CLIENT_FLAGS)

serve: build
	$(BIN)/web-server $(WEB_FLAGS)

serve-single: build
	$(BIN)/web-server --single $(WEB_FLAGS)

# O cliente fala com `make serve` rodando em outro terminal.
get: build
	$(BIN)/http-client $(or $(HOST),localhost) $(or $(PORT),6789) $(FILE)

test:
	$(CARGO) test --all-targets
	$(CARGO) test --doc

bench:
	$(CARGO) bench --bench desempenho

compare:
	bash benches/comparar.sh

fuzz:
	$(CARGO) test --release --test fuzz_http -- --ignored

check:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(MAKE) test

fmt:
	$(CARGO) fmt
