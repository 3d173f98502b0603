#!/bin/sh
# X session of the kiosk user (/home/kiosk/.xsession): no desktop, no screen blanking, no cursor, only the kiosk.
xset s off -dpms s noblank
# unclutter hides the pointer even before Qt's blank cursor is set (touch screens have no use for it)
command -v unclutter >/dev/null && unclutter -idle 0 -root &
# a minimal window manager that honours full-screen requests and offers no keyboard shortcuts
command -v matchbox-window-manager >/dev/null && matchbox-window-manager -use_titlebar no &
systemctl --user import-environment DISPLAY XAUTHORITY
systemctl --user start madoguchi-kiosk.service
# keep the session alive while the kiosk runs; when the admin exits, the session ends and shows the login screen
while systemctl --user is-active --quiet madoguchi-kiosk.service; do sleep 5; done
