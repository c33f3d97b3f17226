#!/usr/bin/env python3
"""serve_tty.py KUBECTL ARGS... -- an interactive `kubectl exec -it POD -- sh`
against `kubesim serve`, on a pseudo-terminal as a person would type it: the
prompt, a line run with its output, Backspace, Ctrl-C dropping a line, the
terminal resized (kubectl sends the size on channel 4), stderr on the
terminal (interleaved with stdout in write order), and `exit 3` ending it
with kubectl exiting 3. Prints what the terminal showed; exit 0 when all of it was there. Each line runs as its
own exec, and the shell's variables and set options carry from one to the
next, as in one real sh; an `if` over two lines waits at the "> " prompt
for its `fi`."""
import os
import pty
import select
import signal
import struct
import sys
import time
import fcntl
import termios

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
seen = b""


def until(want, seconds=20):
    global seen
    end = time.time() + seconds
    while want not in seen and time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            seen += data
    return want in seen


checks = []
checks.append(("the prompt", until(b"/ # ")))
os.write(fd, b"echo tty-$((6*7))\r")
checks.append(("a line's output, \\r\\n", until(b"tty-42\r\n/ # ")))
os.write(fd, b"echo typo\x7f\x7fped\r")
checks.append(("Backspace erases", until(b"\r\ntyped\r\n")))
os.write(fd, b"X=state-kept; export Y=exported\r")
checks.append(("an assignment's line", until(b"exported\r\n/ # ")))
os.write(fd, b"echo $X; sh -c 'echo child $Y'\r")
checks.append(("a variable survives to the next line", until(b"state-kept\r\nchild exported\r\n")))
os.write(fd, b"greet() { echo \"hello $1\"; }\r")
checks.append(("a function's line", until(b"}\r\n/ # ")))
os.write(fd, b"greet tty\r")
checks.append(("a function survives to the next line", until(b"hello tty\r\n")))
os.write(fd, b"if true\r")
checks.append(("an if without its fi: the > prompt", until(b"if true\r\n> ")))
os.write(fd, b"then echo in-if $X\rfi\r")
checks.append(("the if runs at its fi", until(b"fi\r\nin-if state-kept\r\n/ # ")))
os.write(fd, b"echo never\x03")
checks.append(("Ctrl-C drops the line", until(b"^C\r\n/ # ")))
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
os.kill(pid, signal.SIGWINCH)
os.write(fd, b"cat /nope\r")
checks.append(("stderr on the terminal", until(b"can't open '/nope'")))
os.write(fd, b"echo rc=$?\r")
checks.append(("$? of the line before", until(b"rc=1\r\n")))
# a real kubectl exec copies the streams as the process writes them: on the
# terminal, stdout and stderr interleave in write order
os.write(fd, b"sh -c 'echo w-a; echo w-b >&2; echo w-c'\r")
checks.append(("stdout and stderr in write order", until(b"w-a\r\nw-b\r\nw-c\r\n")))
os.write(fd, b"exit 3\r")
_, status = os.waitpid(pid, 0)
until(b"\0", 1)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
checks.append(("exit 3: kubectl exits 3", code == 3))
sys.stdout.write(seen.decode(errors="replace").replace("\r", "") + "\n")
bad = [name for name, passed in checks if not passed]
for name in bad:
    print("missing: " + name)
print("tty session: %s" % ("ok" if not bad else "FAILED"))
sys.exit(1 if bad else 0)
