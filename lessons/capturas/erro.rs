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
