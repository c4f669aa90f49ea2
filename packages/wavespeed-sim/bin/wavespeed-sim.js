console.log("sim")
